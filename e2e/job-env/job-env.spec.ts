import { expect, test, type Locator, type Page } from "@playwright/test";
import { OWNER, auditCount, baseURL, queryOne, serverOutput, signedInPage } from "../fixtures/app";
import { insertApiKey } from "../fixtures/api";
import { userId } from "../fixtures/people";
import { confirmSudoWithPassword, sudoDialog } from "../fixtures/two-factor";

// Job ENV end to end: a workspace secret and an organization secret of one
// name, a Prop in that workspace (through the API), an organization variable
// with a {{secrets.NAME}} reference, a Prop override; the effective view shows
// where each comes from and no secret value; the resolve call returns the
// values for a run and is audited by name.
const PLANTED = { organization: "e2e-jobenv-org-7f3a1c", workspace: "e2e-jobenv-ws-2b8d4e" };

async function withSudo(page: Page, submit: () => Promise<void>, done: Locator) {
  await submit();
  await expect(sudoDialog(page).or(done)).toBeVisible();
  if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, OWNER.password);
  await expect(done).toBeVisible();
}

test.describe.serial("job env", () => {
  let owner: Awaited<ReturnType<typeof signedInPage>>;
  let orgId = "";
  let propId = "";

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    orgId = (await queryOne<{ organizationId: string }>(`SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`, OWNER.email))!.organizationId;
    owner = await signedInPage(browser, OWNER.email, OWNER.password);
  });
  test.afterAll(async () => owner?.context.close());

  test("set-up: a workspace, one secret name at two scopes, a Prop in the workspace", async () => {
    const page = owner.page;
    await page.goto("/job-env");
    await expect(page.getByText("No organization variables yet")).toBeVisible();
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Create a team" });
    await form.getByLabel("New team").fill("Billing");
    await withSudo(page, () => form.getByRole("button", { name: "Create team" }).click(), page.getByRole("listitem", { name: "Team Billing" }));
    const team = page.getByRole("listitem", { name: "Team Billing" });
    await team.getByLabel("New workspace in Billing").fill("live");
    await team.getByRole("button", { name: "Add workspace" }).click();
    await expect(team.getByText("1 workspace")).toBeVisible();
    await page.goto("/secrets");
    // The first spec of the suite to add secrets: the vault's empty state says flags are not secrets.
    await expect(page.getByText("Template-variable flags")).toBeVisible();
    for (const scope of ["organization", "workspace"] as const) {
      const add = page.getByRole("form", { name: "Add a secret" });
      await add.getByLabel("Name").fill("DB_PASSWORD");
      await add.getByLabel("Value").fill(PLANTED[scope]);
      await add.getByLabel("Scope").selectOption(scope);
      if (scope === "workspace") await add.getByLabel("Workspace", { exact: true }).selectOption({ label: "Billing / live" });
      await add.getByRole("button", { name: "Save secret" }).click();
      await expect(page.getByTestId(`secret-DB_PASSWORD-${scope}`)).toBeVisible();
    }
    const ws = (await queryOne<{ id: string }>(`SELECT id FROM "Workspace" WHERE "organizationId" = ? AND name = 'live'`, orgId))!.id;
    // The Prop's workspace is picked by team and name on the Platform form.
    await page.goto("/platform/props");
    await page.getByRole("button", { name: "New prop" }).click();
    await page.getByLabel("Name", { exact: true }).fill("billing-api");
    await page.getByLabel(/Repository URL/).fill("https://git.example.com/acme/billing.git");
    await page.getByLabel(/Workspace/).selectOption({ label: "Billing / live" });
    await page.getByRole("button", { name: "Create prop" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Created billing-api." })).toBeVisible();
    const prop = await queryOne<{ id: string; data: string }>(`SELECT id, data FROM "PlatformResource" WHERE "organizationId" = ? AND name = 'billing-api'`, orgId);
    expect(JSON.parse(prop!.data)).toMatchObject({ workspace_id: ws });
    propId = prop!.id;
    const key = await insertApiKey({ orgId, ownerId: await userId(OWNER.email), scopes: ["props:write"] });
    const res = await page.request.post("/api/v1/props", { headers: { Authorization: `Bearer ${key.raw}` }, data: { name: "no-workspace" } });
    expect(res.status()).toBe(201);
  });

  test("organization variables, a Prop override, and an unknown reference refused at save", async () => {
    const page = owner.page;
    await page.goto("/job-env");
    const add = page.getByRole("form", { name: "Add a variable" });
    const save = async (name: string, value: string, prop?: string) => {
      await add.getByLabel("Name").fill(name);
      await add.getByLabel("Value").fill(value);
      await add.getByLabel("Applies to").selectOption(prop ? { label: `Override for ${prop}` } : { index: 0 });
      await withSudo(page, () => add.getByRole("button", { name: "Save variable" }).click(), page.getByTestId(`var-${prop ?? "org"}-${name}`));
    };
    await save("LOG_LEVEL", "info");
    await save("DATABASE_URL", "postgres://app:{{secrets.DB_PASSWORD}}@db/app");
    await save("LOG_LEVEL", "debug", "billing-api");
    await add.getByLabel("Name").fill("BROKEN");
    await add.getByLabel("Value").fill("{{secrets.NO_SUCH_SECRET}}");
    await add.getByRole("button", { name: "Save variable" }).click();
    await expect(add.getByText("{{secrets.NO_SUCH_SECRET}}: no secret named NO_SUCH_SECRET in this organization.", { exact: true })).toBeVisible();
    await expect(page.getByTestId("var-org-BROKEN")).toHaveCount(0);
    expect(await auditCount("job_env.created", `"organizationId" = ?`, orgId)).toBe(3);
  });

  test("the effective view shows sources and scopes, never a secret value", async () => {
    const page = owner.page;
    await page.goto("/job-env");
    await page.getByRole("form", { name: "Choose a Prop" }).getByLabel("Prop").selectOption({ label: "billing-api" });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByTestId("effective-LOG_LEVEL").getByTestId("source")).toContainText("Override");
    await expect(page.getByTestId("effective-LOG_LEVEL").getByTestId("source")).toContainText("hides the organization value");
    await expect(page.getByTestId("effective-DATABASE_URL").getByTestId("source")).toContainText("Global");
    await expect(page.getByTestId("effective-DATABASE_URL").getByTestId("references")).toContainText("Workspace Billing / live");
    await page.getByRole("form", { name: "Choose a Prop" }).getByLabel("Prop").selectOption({ label: "no-workspace" });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByTestId("effective-DATABASE_URL").getByTestId("references")).toContainText("Organization");
    await expect(page.getByTestId("effective-LOG_LEVEL").getByTestId("source")).toContainText("Global");
    expect(await page.content()).not.toContain("e2e-jobenv-");
  });

  test("the API resolves a run's environment with values, under job_env:manage, audited by name", async () => {
    const page = owner.page;
    const manage = await insertApiKey({ orgId, ownerId: await userId(OWNER.email), scopes: ["job_env:manage"] });
    const read = await insertApiKey({ orgId, ownerId: await userId(OWNER.email), scopes: ["job_env:read"] });
    const path = `/api/v1/props/${propId}/job_env/resolve`;
    expect((await page.request.post(path, { headers: { Authorization: `Bearer ${read.raw}` } })).status()).toBe(403);
    const res = await page.request.post(path, { headers: { Authorization: `Bearer ${manage.raw}` } });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { env: Record<string, string> };
    expect(body.env).toEqual({ DATABASE_URL: `postgres://app:${PLANTED.workspace}@db/app`, LOG_LEVEL: "debug" });
    const list = await page.request.get("/api/v1/job_env", { headers: { Authorization: `Bearer ${read.raw}` } });
    expect(await list.text()).not.toContain("e2e-jobenv-");
    const audit = await queryOne<{ metadata: string }>(`SELECT "metadata" FROM "AuditEvent" WHERE action = 'job_env.resolved' AND "organizationId" = ?`, orgId);
    expect(audit?.metadata).toContain("DATABASE_URL");
    expect(audit?.metadata).not.toContain("e2e-jobenv-");
    expect(serverOutput()).not.toContain("e2e-jobenv-");
  });

  test("screenshots of Job ENV and Overview, 1280 and 390 px, light and dark", async () => {
    const page = owner.page;
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.context().addCookies([{ name: "theme", value: scheme, url: baseURL() }]);
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`/job-env?prop=${propId}`);
        await expect(page.getByTestId("effective-DATABASE_URL")).toBeVisible();
        if (scheme === "dark") await expect(page.locator("html")).toHaveClass(/dark/);
        // Wide tables scroll inside their cards; the page itself never scrolls sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `test-results/job-env-${width}-${scheme}.png`, fullPage: true });
        await page.goto("/overview");
        await page.screenshot({ path: `test-results/overview-${width}-${scheme}.png`, fullPage: true });
      }
    }
  });
});
