import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { OWNER, auditCount, execSql, queryOne, signIn, signedInPage } from "../fixtures/app";
import { inviteUser, type TestUser } from "../fixtures/people";
import { confirmSudoWithPassword, sudoDialog } from "../fixtures/two-factor";

// The API keys page end to end: an admin issues a restricted key with an
// expiry, reads it off the page once, and uses it against the real API; then
// rolls, revokes and expires keys and watches the API answer accordingly.
const KAI: TestUser = { name: "Kai Keys", email: "kai.keys@acme.test", password: "keys are shown exactly once" };
const MO: TestUser = { name: "Mo Member", email: "mo.keys@acme.test", password: "members hold narrower keys" };
const DAY = 86_400_000;

let admin: { context: BrowserContext; page: Page };
let restricted = ""; // "Deploy bot": props:read + monitor:read, only the web-app prop, expires on a date
let expiresOn = "";
let ops = ""; // "Ops key" before rolling
let opsRolled = ""; // its replacement
let webAppId = "";
let billingId = "";

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const row = (page: Page, name: string) => page.getByTestId("api-key").and(page.locator(`[data-key-name="${name}"]`));

async function errorOf(response: Awaited<ReturnType<APIRequestContext["get"]>>) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

/** Submit a sensitive form; the first time in a session the sudo dialog asks for the password. */
async function withSudo(page: Page, password: string, submit: () => Promise<void>, done: ReturnType<Page["getByTestId"]>) {
  await submit();
  await expect(sudoDialog(page).or(done)).toBeVisible();
  if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, password);
}

async function readNewKey(page: Page): Promise<string> {
  const shown = page.getByTestId("new-api-key");
  await expect(shown).toBeVisible();
  await expect(page.getByTestId("new-key-reveal")).toContainText("You will not see it again");
  const raw = (await shown.innerText()).trim();
  expect(raw).toMatch(/^gat_[0-9A-Za-z]{38}$/);
  return raw;
}

async function dismissNewKey(page: Page, raw: string) {
  await page.getByRole("button", { name: "I have copied the key" }).click();
  await expect(page.getByTestId("new-api-key")).toBeHidden();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  expect(await page.content()).not.toContain(raw);
}

test.describe.serial("API keys", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    await inviteUser(browser, KAI, "admin");
    await inviteUser(browser, MO, "member");
    const org = await queryOne<{ organizationId: string }>(`SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`, KAI.email);
    webAppId = randomBytes(12).toString("base64url");
    billingId = randomBytes(12).toString("base64url");
    const now = new Date();
    for (const [id, name] of [
      [webAppId, "web-app"],
      [billingId, "billing"],
    ]) {
      await execSql(
        `INSERT INTO "PlatformResource" (id, "organizationId", type, name, data, "createdAt", "updatedAt") VALUES (?, ?, 'prop', ?, '{}', ?, ?)`,
        id,
        org!.organizationId,
        name,
        now,
        now,
      );
    }
    admin = await signedInPage(browser, KAI.email, KAI.password);
  });
  test.afterAll(async () => {
    await admin?.context.close();
  });

  test("an admin creates a restricted key with an expiry, reads it once from the page, and the API honours its scopes", async ({ request }) => {
    const page = admin.page;
    await page.goto("/api-keys");
    const createdBefore = await auditCount("api_key.created");
    await page.getByRole("button", { name: "New API key" }).click();
    const form = page.getByRole("form", { name: "Create an API key" });
    await form.getByLabel("Name").fill("Deploy bot");
    await form.getByLabel("Props: read").check();
    await form.getByLabel("Monitoring: read").check();
    // Admins are offered the wildcard, unticked.
    await expect(form.getByLabel(/Full access \(\*\)/)).not.toBeChecked();
    await form.getByText("Restrict to chosen resources (optional)").click();
    await form.getByLabel("Prop: web-app").check();
    expiresOn = new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10);
    await form.getByLabel("Expires").selectOption("custom");
    await form.getByLabel("Expiry date").fill(expiresOn);
    await form.getByLabel("Allowed networks (optional)").fill("127.0.0.0/8\n::1");
    // An override above 100× the default (600) is refused on its field; nothing is created.
    await form.getByLabel("Rate limit override (optional)").fill("60001");
    const overrideError = form.getByText("At most 60000 requests a minute (100× the default).");
    await withSudo(page, KAI.password, () => form.getByRole("button", { name: "Create key" }).click(), overrideError);
    await expect(overrideError).toBeVisible();
    await expect(form.getByLabel("Rate limit override (optional)")).toHaveAttribute("aria-invalid", "true");
    expect(await auditCount("api_key.created")).toBe(createdBefore);

    await form.getByLabel("Rate limit override (optional)").fill("120");
    await form.getByRole("button", { name: "Create key" }).click();
    restricted = await readNewKey(page);
    await page.getByRole("button", { name: "Copy key" }).click();
    await expect(page.getByText(/The key is on your clipboard|Copying was not allowed/)).toBeVisible();
    await dismissNewKey(page, restricted);

    const listed = row(page, "Deploy bot");
    await expect(listed).toContainText(`${restricted.slice(0, 12)}…`);
    await expect(listed).toContainText("Active");
    await expect(listed).toContainText("Props: read · Monitoring: read");
    await expect(listed).toContainText("Props: web-app");
    await expect(listed).toContainText(`${expiresOn} 00:00 UTC`);
    await expect(listed).toContainText("Rate limit: 120 requests a minute");

    const me = await request.get("/api/v1/me", { headers: bearer(restricted) });
    expect(me.status()).toBe(200);
    const body = (await me.json()) as { key: { name: string; scopes: string[]; restrictions: Record<string, string[]>; expires_at: string; rate_limit_per_minute: number }; owner: { role: string } };
    expect(body.key).toMatchObject({ name: "Deploy bot", scopes: ["monitor:read", "props:read"], restrictions: { prop: [webAppId] }, expires_at: `${expiresOn}T00:00:00.000Z`, rate_limit_per_minute: 120 });
    expect(body.owner.role).toBe("admin");

    const lacking = await request.get("/api/v1/keys", { headers: bearer(restricted) });
    expect(lacking.status()).toBe(403);
    const refusal = await errorOf(lacking);
    expect(refusal.code).toBe("insufficient_scope");
    expect(refusal.message).toContain("keys:manage");

    // Used once: the list shows when and from where.
    await expect.poll(async () => (await page.reload(), await row(page, "Deploy bot").innerText()), { timeout: 15_000 }).toMatch(/Last used\s*(just now|\d+ minutes? ago) from/);
  });

  test("rolling with a grace period: the old and the new key both work, and the new key verifies others for other services", async ({ request }) => {
    const page = admin.page;
    await page.goto("/api-keys");
    await page.getByRole("button", { name: "New API key" }).click();
    const form = page.getByRole("form", { name: "Create an API key" });
    await form.getByLabel("Name").fill("Ops key");
    await form.getByLabel("API keys: manage").check();
    await form.getByLabel("Props: read").check();
    await form.getByRole("button", { name: "Create key" }).click();
    ops = await readNewKey(page);
    await dismissNewKey(page, ops);

    await row(page, "Ops key").getByRole("button", { name: "Roll Ops key" }).click();
    await row(page, "Ops key").getByLabel("Grace period").selectOption("24");
    await row(page, "Ops key").getByRole("button", { name: "Roll key" }).click();
    opsRolled = await readNewKey(page);
    expect(opsRolled).not.toBe(ops);
    await expect(page.getByTestId("new-key-reveal")).toContainText(`The old key (${ops.slice(0, 12)}…) keeps working until`);
    await dismissNewKey(page, opsRolled);
    await expect(row(page, "Ops key").filter({ hasText: ops.slice(0, 12) })).toContainText("Rolled: in grace period");
    await expect(row(page, "Ops key").filter({ hasText: opsRolled.slice(0, 12) })).toContainText("Active");

    for (const key of [ops, opsRolled]) {
      const list = await request.get("/api/v1/keys", { headers: bearer(key) });
      expect(list.status(), key.slice(0, 12)).toBe(200);
    }

    const verify = async (data: object) => {
      const response = await request.post("/api/v1/keys/verify", { headers: bearer(opsRolled), data });
      expect(response.status()).toBe(200);
      return (await response.json()) as { valid: boolean; code: string };
    };
    // "Deploy bot" is limited to loopback networks: the verifying service says where it was presented from.
    const ip = "127.0.0.1";
    expect(await verify({ key: restricted, ip, scope: "props:read", resource: { type: "prop", id: webAppId } })).toMatchObject({ valid: true, code: "valid" });
    expect(await verify({ key: restricted, ip, scope: "props:read", resource: { type: "prop", id: billingId } })).toMatchObject({ valid: false, code: "resource_forbidden" });
    expect(await verify({ key: restricted, ip, scope: "props:write" })).toMatchObject({ valid: false, code: "insufficient_scope" });
    expect(await verify({ key: restricted, ip: "192.0.2.10", scope: "props:read" })).toMatchObject({ valid: false, code: "ip_not_allowed" });
  });

  test("revoking asks for sudo and a confirmation; the next call with the key answers 401 key_revoked", async ({ request }) => {
    const page = admin.page;
    await page.goto("/api-keys");
    // Leave sudo so the revocation has to ask again.
    await page.getByRole("button", { name: "Exit sudo" }).click();
    await expect(page.getByTestId("sudo-indicator")).toBeHidden();
    const listed = row(page, "Deploy bot");
    await listed.getByRole("button", { name: "Revoke Deploy bot" }).click();
    await expect(listed).toContainText("This cannot be undone.");
    await listed.getByRole("button", { name: "Confirm revocation" }).click();
    await confirmSudoWithPassword(page, KAI.password);
    await expect(row(page, "Deploy bot")).toContainText("Revoked");
    await expect(row(page, "Deploy bot").getByRole("button")).toHaveCount(0);

    const me = await request.get("/api/v1/me", { headers: bearer(restricted) });
    expect(me.status()).toBe(401);
    expect((await errorOf(me)).code).toBe("key_revoked");
    const verified = await request.post("/api/v1/keys/verify", { headers: bearer(opsRolled), data: { key: restricted } });
    expect(await verified.json()).toMatchObject({ valid: false, code: "key_revoked" });
    expect(await auditCount("api_key.revoked", `"resourceLabel" LIKE ?`, "Deploy bot%")).toBe(1);
    const grant = await queryOne<{ sudoGrantId: string | null }>(`SELECT "sudoGrantId" FROM "AuditEvent" WHERE action = 'api_key.revoked' ORDER BY "occurredAt" DESC LIMIT 1`);
    expect(grant?.sudoGrantId).toBeTruthy();
  });

  test("a member is not offered the wildcard or scopes beyond their role, and sees only their own keys", async ({ page }) => {
    await signIn(page, MO.email, MO.password);
    await page.goto("/api-keys");
    await expect(page.getByText("Your keys (0 active)")).toBeVisible();
    await expect(page.getByTestId("api-key")).toHaveCount(0);
    await page.getByRole("button", { name: "New API key" }).click();
    const form = page.getByRole("form", { name: "Create an API key" });
    await expect(form.getByLabel("Props: write")).toBeVisible();
    await expect(form.getByLabel(/Full access/)).toHaveCount(0);
    await expect(form.getByText("Full access (*)")).toHaveCount(0);
    await expect(form.getByLabel("API keys: manage")).toHaveCount(0);
    await expect(form.getByLabel("Secrets: write")).toHaveCount(0);
    await expect(form.getByLabel("Rate limit override (optional)")).toHaveCount(0);
    await expect(form.getByText("Scopes your role (Member) cannot hold are not offered.")).toBeVisible();
  });

  test("a key whose expiry has passed answers 401 key_expired", async ({ request }) => {
    const changed = await execSql(`UPDATE "ApiKey" SET "expiresAt" = ? WHERE prefix = ?`, new Date(Date.now() - 60_000), opsRolled.slice(4, 12));
    expect(changed).toBe(1);
    // Changed behind the application's back: the verification cache notices within its freshness window (about 10 s).
    await expect
      .poll(async () => {
        const response = await request.get("/api/v1/me", { headers: bearer(opsRolled) });
        return response.status() === 401 ? (await errorOf(response)).code : String(response.status());
      }, { timeout: 20_000 })
      .toBe("key_expired");
    await admin.page.goto("/api-keys");
    await expect(row(admin.page, "Ops key").filter({ hasText: opsRolled.slice(0, 12) })).toContainText("Expired");
  });
});
