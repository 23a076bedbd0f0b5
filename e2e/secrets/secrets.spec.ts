import { expect, test, type Locator, type Page } from "@playwright/test";
import { OWNER, auditCount, baseURL, queryAll, queryOne, serverOutput, signedInPage } from "../fixtures/app";
import { inviteUser, userId, type TestUser } from "../fixtures/people";
import { insertApiKey } from "../fixtures/api";
import { confirmSudoWithPassword, sudoDialog } from "../fixtures/two-factor";

// The vault end to end: the owner builds teams and workspaces in Settings,
// stores one name at three scopes, resolves a workspace (narrowest wins),
// reveals under sudo; an auditor sees names but cannot reveal; a member of
// another team sees neither the team's secrets on the page nor through the API.
const MO: TestUser = { name: "Mo Payments", email: "mo.vault@acme.test", password: "payments team member pw" };
const TESS: TestUser = { name: "Tess Search", email: "tess.vault@acme.test", password: "search team member pw" };
const AUD: TestUser = { name: "Aude Auditor", email: "aude.vault@acme.test", password: "auditors never reveal" };
const PLANTED = { organization: "e2e-planted-org-5a1f9c", team: "e2e-planted-team-8b2e7d", workspace: "e2e-planted-ws-3c9d4e" };

/** Submit a sensitive form; the first time in a session the sudo dialog asks for the password. */
async function withSudo(page: Page, password: string, submit: () => Promise<void>, done: Locator) {
  await submit();
  await expect(sudoDialog(page).or(done)).toBeVisible();
  if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, password);
  await expect(done).toBeVisible();
}

test.describe.serial("secret vault", () => {
  let owner: Awaited<ReturnType<typeof signedInPage>>;
  let orgId = "";

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(240_000);
    await inviteUser(browser, MO, "member");
    await inviteUser(browser, TESS, "member");
    await inviteUser(browser, AUD, "auditor");
    orgId = (await queryOne<{ organizationId: string }>(`SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`, OWNER.email))!.organizationId;
    owner = await signedInPage(browser, OWNER.email, OWNER.password);
  });
  test.afterAll(async () => owner?.context.close());

  test("the owner creates teams and a workspace and assigns members in Settings", async () => {
    const page = owner.page;
    // Other specs create teams too: count this test's events only.
    const before = {
      teams: await auditCount("team.created", `"organizationId" = ?`, orgId),
      members: await auditCount("team.member_added", `"organizationId" = ?`, orgId),
      workspaces: await auditCount("workspace.created", `"organizationId" = ?`, orgId),
    };
    await page.goto("/settings");
    for (const name of ["Payments", "Search"]) {
      const form = page.getByRole("form", { name: "Create a team" });
      await form.getByLabel("New team").fill(name);
      await withSudo(page, OWNER.password, () => form.getByRole("button", { name: "Create team" }).click(), page.getByRole("listitem", { name: `Team ${name}` }));
    }
    const payments = page.getByRole("listitem", { name: "Team Payments" });
    await payments.getByLabel("New workspace in Payments").fill("prod");
    await payments.getByRole("button", { name: "Add workspace" }).click();
    await expect(payments.getByText("1 workspace")).toBeVisible();
    await payments.getByLabel("Member to add to Payments").selectOption({ label: MO.email });
    await payments.getByRole("button", { name: "Add to team" }).click();
    await expect(payments.getByRole("region", { name: "Members of Payments" }).getByText(MO.email)).toBeVisible();
    const search = page.getByRole("listitem", { name: "Team Search" });
    await search.getByLabel("Member to add to Search").selectOption({ label: TESS.email });
    await search.getByRole("button", { name: "Add to team" }).click();
    await expect(search.getByRole("region", { name: "Members of Search" }).getByText(TESS.email)).toBeVisible();
    expect(await auditCount("team.created", `"organizationId" = ?`, orgId)).toBe(before.teams + 2);
    expect(await auditCount("team.member_added", `"organizationId" = ?`, orgId)).toBe(before.members + 2);
    expect(await auditCount("workspace.created", `"organizationId" = ?`, orgId)).toBe(before.workspaces + 1);
  });

  test("one name at three scopes; the resolve view picks the narrowest", async () => {
    const page = owner.page;
    await page.goto("/secrets");
    // The empty state (flags are not secrets) shows while the organization has no secret; in
    // the whole suite the Job ENV spec adds secrets first (and checks the empty state there).
    const existing = await queryOne<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "Secret" WHERE "organizationId" = ?`, orgId);
    if (Number(existing!.n) === 0) await expect(page.getByText("Template-variable flags")).toBeVisible();
    for (const scope of ["organization", "team", "workspace"] as const) {
      const form = page.getByRole("form", { name: "Add a secret" });
      await form.getByLabel("Name").fill("DATABASE_URL");
      await form.getByLabel("Value").fill(PLANTED[scope]);
      await form.getByLabel("Scope").selectOption(scope);
      if (scope === "team") await form.getByLabel("Team").selectOption({ label: "Payments" });
      if (scope === "workspace") await form.getByLabel("Workspace", { exact: true }).selectOption({ label: "Payments / prod" });
      await form.getByRole("button", { name: "Save secret" }).click();
      await expect(page.getByTestId(`secret-DATABASE_URL-${scope}`)).toBeVisible();
    }
    await page.getByRole("form", { name: "Choose a workspace" }).getByLabel("Workspace").selectOption({ label: "Payments / prod" });
    await page.getByRole("button", { name: "Resolve" }).click();
    const resolved = page.getByTestId("resolved-DATABASE_URL");
    await expect(resolved.getByTestId("winner")).toHaveText("Workspace Payments / prod");
    await expect(resolved.getByTestId("shadows")).toHaveText("Team Payments, Organization");
    expect(await page.content()).not.toContain("e2e-planted");
  });

  test("reveal shows the value for a moment, in sudo mode, and is audited", async () => {
    const page = owner.page;
    const row = page.getByTestId("secret-DATABASE_URL-workspace");
    await row.getByRole("button", { name: "Reveal" }).click();
    await expect(row.getByTestId("revealed-value")).toHaveText(PLANTED.workspace);
    const audit = await queryOne<{ sudoGrantId: string | null; metadata: string }>(`SELECT "sudoGrantId", "metadata" FROM "AuditEvent" WHERE action = 'secret.revealed' AND "organizationId" = ?`, orgId);
    expect(audit?.sudoGrantId).toBeTruthy();
    expect(audit?.metadata).not.toContain("e2e-planted");
    await row.getByRole("button", { name: "Hide now" }).click();
    await expect(row.getByTestId("revealed-value")).toBeHidden();
  });

  test("an auditor sees the names but cannot reveal, on the page or by calling the action", async ({ browser }) => {
    const aud = await signedInPage(browser, AUD.email, AUD.password);
    await aud.page.goto("/secrets");
    await expect(aud.page.getByText("never its value")).toBeVisible();
    await expect(aud.page.getByTestId("secret-DATABASE_URL-team")).toBeVisible();
    await expect(aud.page.getByRole("button", { name: "Reveal" })).toHaveCount(0);
    // An auditor's key may not even hold secrets:read.
    const key = await insertApiKey({ orgId, ownerId: await userId(AUD.email), scopes: ["secrets:read"] });
    const id = (await queryOne<{ id: string }>(`SELECT id FROM "Secret" WHERE "organizationId" = ? AND scope = 'organization'`, orgId))!.id;
    const res = await aud.page.request.post(`/api/v1/secrets/${id}/reveal`, { headers: { Authorization: `Bearer ${key.raw}` } });
    expect(res.status()).toBe(403);
    expect(await res.text()).not.toContain("e2e-planted");
    await aud.context.close();
  });

  test("a member of another team sees neither the team's secrets nor its workspace's, also through the API", async ({ browser }) => {
    const tess = await signedInPage(browser, TESS.email, TESS.password);
    await tess.page.goto("/secrets");
    await expect(tess.page.getByTestId("secret-DATABASE_URL-organization")).toBeVisible();
    await expect(tess.page.getByTestId("secret-DATABASE_URL-team")).toHaveCount(0);
    await expect(tess.page.getByTestId("secret-DATABASE_URL-workspace")).toHaveCount(0);
    const key = await insertApiKey({ orgId, ownerId: await userId(TESS.email), scopes: ["secrets:read"] });
    const auth = { Authorization: `Bearer ${key.raw}` };
    const list = await tess.page.request.get("/api/v1/secrets", { headers: auth });
    // (Other specs may have added secrets of other names: this test's name is DATABASE_URL.)
    expect(((await list.json()) as { data: { name: string; scope: string }[] }).data.filter((s) => s.name === "DATABASE_URL").map((s) => s.scope)).toEqual(["organization"]);
    const hidden = await queryAll<{ id: string }>(`SELECT id FROM "Secret" WHERE "organizationId" = ? AND name = 'DATABASE_URL' AND scope <> 'organization'`, orgId);
    expect(hidden).toHaveLength(2);
    for (const { id } of hidden) {
      for (const res of [await tess.page.request.get(`/api/v1/secrets/${id}`, { headers: auth }), await tess.page.request.post(`/api/v1/secrets/${id}/reveal`, { headers: auth })]) {
        expect(res.status()).toBe(404);
        expect(await res.text()).not.toContain("e2e-planted");
      }
    }
    // Mo, in Payments, may reveal the team's value through the API.
    const moKey = await insertApiKey({ orgId, ownerId: await userId(MO.email), scopes: ["secrets:read"] });
    const revealed = await tess.page.request.post(`/api/v1/secrets/${hidden.find(Boolean)!.id}/reveal`, { headers: { Authorization: `Bearer ${moKey.raw}` } });
    expect(revealed.status()).toBe(200);
    await tess.context.close();
  });

  test("no planted value appears in the server output or in any non-ciphertext column", async () => {
    const output = serverOutput();
    const rows = await queryAll<Record<string, unknown>>(`SELECT * FROM "Secret"`);
    const plain = JSON.stringify(rows.map(({ ciphertext: _c, wrappedKey: _w, ...rest }) => rest));
    const audit = JSON.stringify(await queryAll(`SELECT * FROM "AuditEvent"`));
    for (const value of Object.values(PLANTED)) {
      expect(output).not.toContain(value);
      expect(plain).not.toContain(value);
      expect(audit).not.toContain(value);
    }
  });

  test("the Secrets and Settings pages at 1280 and 390 px, light and dark (screenshots for review)", async ({}, testInfo) => {
    const page = owner.page;
    for (const [path, name] of [["/secrets", "secrets"], ["/settings", "settings"]] as const) {
      for (const width of [1280, 390]) {
        for (const scheme of ["light", "dark"] as const) {
          await page.setViewportSize({ width, height: 900 });
          await page.emulateMedia({ colorScheme: scheme });
          await page.context().addCookies([{ name: "theme", value: scheme, url: baseURL() }]);
          await page.goto(path);
          await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
          if (scheme === "dark") await expect(page.locator("html")).toHaveClass(/dark/);
          // Nothing may overflow the page sideways (tables scroll inside their card).
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
          await page.screenshot({ path: testInfo.outputPath(`${name}-${width}-${scheme}.png`), fullPage: true });
        }
      }
    }
  });
});
