import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { auditCount, baseURL, execSql, queryOne, signIn } from "../fixtures/app";
import { forgetSessions, inviteUser, newestSession, sessionsOf, userId, type TestUser } from "../fixtures/people";
import { recordActions } from "../fixtures/actions";
import { addVirtualAuthenticator, forgeAssertion, type VirtualAuthenticator } from "../fixtures/webauthn";
import { chooseMethod, confirmSudoWithPassword, signInToChallenge, signOut, sudoDialog } from "../fixtures/two-factor";

const KAI: TestUser = { name: "Kai Key", email: "kai@acme.test", password: "hardware keys are the best keys" };
const KEY_NAME = "Desk key";

interface KeyRow {
  id: string;
  name: string;
  counter: number;
  lastUsedAt: string | null;
}
const keyOf = async () => await queryOne<KeyRow>(`SELECT id, name, counter, "lastUsedAt" FROM "SecurityKey" WHERE "userId" = ?`, await userId(KAI.email));
const card = (page: Page, title: string) => page.locator("section").filter({ has: page.getByRole("heading", { name: title, exact: true }) });

// One browser with one (virtual) security key plugged in, used by every test in order.
test.describe.serial("security keys", () => {
  let context: BrowserContext;
  let page: Page;
  let key: VirtualAuthenticator;

  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, KAI);
    context = await browser.newContext();
    page = await context.newPage();
    key = await addVirtualAuthenticator(page);
  });
  test.afterAll(async () => {
    await key.remove();
    await context.close();
  });

  test("registering a key needs sudo; the first key comes with recovery codes", async () => {
    await forgetSessions(KAI.email);
    await signIn(page, KAI.email, KAI.password);
    await page.goto("/security");
    const keys = card(page, "Security keys");
    await expect(keys.getByText("No security keys yet")).toBeVisible();
    await keys.getByLabel("Key name").fill(KEY_NAME);
    await keys.getByRole("button", { name: "Add security key" }).click();
    await confirmSudoWithPassword(page, KAI.password);

    const codes = page.getByTestId("recovery-codes");
    await expect(codes.getByRole("listitem")).toHaveCount(10);
    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    const row = page.getByTestId(`security-key-${KEY_NAME}`);
    await expect(row).toBeVisible();
    await expect(row).toContainText("last used never");
    await expect(row.getByRole("button", { name: `Rename ${KEY_NAME}` })).toBeVisible();
    await expect(row.getByRole("button", { name: `Remove ${KEY_NAME}` })).toBeVisible();

    // The authenticator now holds one discoverable credential for this site and user.
    const credentials = await key.credentials();
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: "localhost" });
    expect(Buffer.from(credentials[0].userHandle ?? "", "base64").toString("utf8")).toBe(await userId(KAI.email));
    const stored = (await keyOf());
    expect(stored).toMatchObject({ name: KEY_NAME, lastUsedAt: null });
    const registered = await queryOne<{ sudoGrantId: string | null }>(`SELECT "sudoGrantId" FROM "AuditEvent" WHERE action = 'security_key.registered' AND "resourceId" = ?`, stored?.id);
    expect(registered?.sudoGrantId).toBeTruthy();
  });

  test("the key is the second factor after the password", async () => {
    await signOut(page);
    await signInToChallenge(page, KAI.email, KAI.password);
    await expect(page.getByRole("radio", { name: "Security key" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Recovery code" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "Authenticator app" })).toHaveCount(0);
    const pending = await newestSession(KAI.email);
    expect(pending.trustState).toBe("pending_second_factor");

    await page.getByRole("button", { name: "Verify with security key" }).click();
    await page.waitForURL("**/overview");
    expect(await newestSession(KAI.email)).toMatchObject({ id: pending.id, trustState: "trusted", trustFactor: "security_key" });
    const used = (await keyOf());
    expect(used?.lastUsedAt).not.toBeNull();
    expect(used?.counter).toBe((await key.credentials())[0].signCount);
    await page.goto("/security");
    await expect(page.getByTestId(`security-key-${KEY_NAME}`)).not.toContainText("last used never");
  });

  test("the key signs in on its own from the sign-in page, and only with user verification", async ({ playwright }) => {
    await signOut(page);
    const starts = recordActions(page);
    await page.getByRole("button", { name: "Sign in with a security key" }).click();
    await page.waitForURL("**/overview");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    const session = await newestSession(KAI.email);
    expect(session).toMatchObject({ trustState: "trusted", trustFactor: "security_key", trustReason: `Signed in with security key "${KEY_NAME}"` });
    expect(await auditCount("user.sign_in", `"sessionId" = ? AND "outcome" = 'success' AND "metadata" LIKE '%"method":"passkey"%'`, session.publicId)).toBe(1);

    // A script holding the key's private key but no user verification (a key that was only
    // touched) must not get in: the passkey replaces password and second factor.
    const [credential] = await key.credentials();
    const attacker = await playwright.request.newContext({ baseURL: baseURL() });
    const attempt = async (userVerified: boolean, signCount: number) => {
      const started = await attacker.post(starts[0].url, {
        headers: { "next-action": starts[0].action, "content-type": starts[0].contentType, origin: baseURL(), accept: "text/x-component" },
        data: starts[0].body,
      });
      const text = await started.text();
      const challengeId = /"challengeId":"([^"]+)"/.exec(text)?.[1] ?? "";
      const challenge = /"challenge":"([^"]+)"/.exec(text)?.[1] ?? "";
      expect(challengeId && challenge).toBeTruthy();
      const { csrfToken } = (await (await attacker.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const assertion = forgeAssertion(credential, { challenge, origin: baseURL(), rpId: "localhost", userVerified, signCount });
      await attacker.post("/api/auth/callback/passkey", {
        headers: { origin: baseURL() },
        form: { challengeId, response: JSON.stringify(assertion), csrfToken, callbackUrl: "/overview", json: "true" },
      });
    };
    const sessions = (await sessionsOf(KAI.email)).length;
    const failures = await auditCount("user.sign_in", `"outcome" = 'failure' AND "metadata" LIKE '%"method":"passkey"%'`);
    await attempt(false, credential.signCount + 1);
    expect(await sessionsOf(KAI.email)).toHaveLength(sessions);
    expect(await auditCount("user.sign_in", `"outcome" = 'failure' AND "metadata" LIKE '%"method":"passkey"%'`)).toBe(failures + 1);
    // Control: the same forgery claiming user verification is accepted, so the refusal above was about UV.
    await attempt(true, credential.signCount + 1);
    expect(await sessionsOf(KAI.email)).toHaveLength(sessions + 1);
    const forged = await newestSession(KAI.email);
    expect(forged).toMatchObject({ trustState: "trusted", trustFactor: "security_key" });
    await execSql(`DELETE FROM "Session" WHERE id = ?`, forged.id);
    await attacker.dispose();
    // The real key must stay ahead of the counter the control stored.
    await key.remove();
    key = await addVirtualAuthenticator(page);
    await key.addCredential({ ...credential, signCount: credential.signCount + 1 });
  });

  test("the key opens sudo mode", async () => {
    const { id: sessionId, publicId } = await newestSession(KAI.email);
    await page.goto("/security");
    const recovery = card(page, "Recovery codes");
    await expect(recovery.getByTestId("recovery-remaining")).toHaveText("10 of 10 remaining");
    await recovery.getByRole("button", { name: "Regenerate codes" }).click();
    const dialog = sudoDialog(page);
    // With a security key, sudo takes the key: the password is not offered.
    await expect(dialog.getByRole("button", { name: "Confirm with security key" })).toBeVisible();
    await expect(dialog.getByLabel("Password", { exact: true })).toHaveCount(0);
    await dialog.getByRole("button", { name: "Confirm with security key" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Sudo mode" })).toBeVisible();

    const grant = await queryOne<{ id: string; factor: string }>(`SELECT id, factor FROM "SudoGrant" WHERE "sessionId" = ? AND "endedAt" IS NULL`, sessionId);
    expect(grant?.factor).toBe("security_key");
    const regenerated = await queryOne<{ sudoGrantId: string | null }>(
      `SELECT "sudoGrantId" FROM "AuditEvent" WHERE action = 'two_factor.recovery_codes_regenerated' AND "sessionId" = ?`,
      publicId,
    );
    expect(regenerated?.sudoGrantId).toBe(grant?.id);
  });

  test("after an IP change the key restores trust, and changes work again", async () => {
    const session = await newestSession(KAI.email);
    const keys = card(page, "Security keys");
    await context.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.77" });
    await page.goto("/security");
    await expect(page.getByRole("alert").filter({ hasText: "This session is untrusted." })).toContainText("203.0.113.77");
    expect(await newestSession(KAI.email)).toMatchObject({ id: session.id, trustState: "untrusted" });
    // The IP change also ended the sudo window.
    expect(await queryOne(`SELECT id FROM "SudoGrant" WHERE "sessionId" = ? AND "endedAt" IS NULL`, session.id)).toBeUndefined();

    // Renaming is a change: refused while untrusted, with the way out.
    const rename = async (name: string) => {
      await keys.getByRole("button", { name: /^Rename / }).click();
      await keys.getByLabel("New name").fill(name);
      await keys.getByRole("button", { name: "Save name" }).click();
    };
    await rename("Laptop key");
    const refusal = keys.getByRole("alert").filter({ hasText: "Restore trust" });
    await expect(refusal).toBeVisible();
    expect((await keyOf())?.name).toBe(KEY_NAME);

    await page.getByRole("alert").filter({ hasText: "This session is untrusted." }).getByRole("link", { name: "Restore trust" }).click();
    await page.waitForURL("**/restore-trust");
    await expect(page.getByRole("radio", { name: "Security key" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Recovery code" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "Password" })).toHaveCount(0);
    await chooseMethod(page, "Security key");
    await page.getByRole("button", { name: "Restore trust with security key" }).click();
    await page.waitForURL("**/sessions");
    await expect(page.getByRole("alert").filter({ hasText: "This session is untrusted." })).toHaveCount(0);
    expect(await newestSession(KAI.email)).toMatchObject({ id: session.id, trustState: "trusted", trustFactor: "security_key", ip: "203.0.113.77" });
    const restored = await queryOne<{ metadata: string }>(`SELECT metadata FROM "AuditEvent" WHERE action = 'session.trust_restored' AND "resourceId" = ?`, session.publicId);
    expect(JSON.parse(restored?.metadata ?? "{}")).toEqual({ factor: "security_key" });

    // Trusted again, but the IP change ended sudo: renaming a key is sensitive and asks for the key first.
    await page.goto("/security");
    await rename("Laptop key");
    const dialog = sudoDialog(page);
    await expect(dialog).toBeVisible();
    expect((await keyOf())?.name).toBe(KEY_NAME);
    await dialog.getByRole("button", { name: "Confirm with security key" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("security-key-Laptop key")).toBeVisible();
    expect((await keyOf())?.name).toBe("Laptop key");
    expect(await auditCount("security_key.renamed", `"resourceId" = ?`, (await keyOf())?.id)).toBe(1);
  });
});
