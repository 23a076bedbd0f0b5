import { expect, test, type Page } from "@playwright/test";
import { OWNER, auditCount, queryAll, queryOne, securityLogLines, signIn, signedInPage } from "../fixtures/app";
import { recordActions, replay, type Captured } from "../fixtures/actions";
import { forgetSessions, inviteUser, newestSession, sessionsOf, type TestUser } from "../fixtures/people";
import { confirmSudoWithPassword, enrolTotp, field, signInToChallenge, signOut, sudoDialog, type TotpEnrolment } from "../fixtures/two-factor";
import { nextFreshCode } from "../fixtures/totp";

// Ada is an admin of Acme; Tia is a member who turns on an authenticator app.
const ADA: TestUser = { name: "Ada Admin", email: "ada.admin@acme.test", password: "admins do not touch owners" };
const TIA: TestUser = { name: "Tia Totp", email: "tia.totp@acme.test", password: "second factors all the way" };

/** A browser context whose requests come from `ip` (the e2e server trusts loopback as a proxy). */
async function signedInFrom(browser: import("@playwright/test").Browser, user: TestUser, ip: string) {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": ip } });
  const page = await context.newPage();
  await signIn(page, user.email, user.password);
  return { context, page };
}

async function createInvitation(page: Page, email: string) {
  await page.goto("/members");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Create invitation" }).click();
}

test.describe.serial("identity hardening", () => {
  let invite: Captured;
  /** The owner's "open sudo with the password" request, as the dialog sent it. */
  let sudoWithPassword: Captured;
  let tia: TotpEnrolment;

  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, ADA, "admin");
    await inviteUser(browser, TIA);
  });

  test("creating an invitation asks for sudo, and its audit event names the grant", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const calls = recordActions(page);
    await createInvitation(page, "needs.sudo@acme.test");
    await confirmSudoWithPassword(page, OWNER.password);
    await expect(page.getByTestId("invitation-link")).toBeVisible();
    // Refused first (no sudo), then retried after the dialog.
    const attempts = calls.filter((c) => c.action === calls[0].action);
    expect(attempts).toHaveLength(2);
    invite = attempts[1];
    const sudoCalls = calls.filter((c) => c.action !== calls[0].action);
    expect(sudoCalls).toHaveLength(1);
    sudoWithPassword = sudoCalls[0];
    expect(sudoWithPassword.body.toString("utf8")).toContain(OWNER.password);
    const event = await queryOne<{ sudoGrantId: string | null }>(
      `SELECT "sudoGrantId" FROM "AuditEvent" WHERE action = 'invitation.created' AND "resourceLabel" = ?`,
      "needs.sudo@acme.test",
    );
    expect(event?.sudoGrantId).toBeTruthy();
  });

  test("a captured invitation replayed from a session without sudo creates nothing", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const before = await auditCount("invitation.created");
    const body = await replay(page, invite);
    expect(body).toContain("sudo_required");
    expect(await auditCount("invitation.created")).toBe(before);
  });

  test("an admin cannot revoke an owner's session, by the page or by a direct call with the owner's handle", async ({ browser }) => {
    await forgetSessions(OWNER.email);
    await forgetSessions(TIA.email);
    const owner = await signedInPage(browser, OWNER.email, OWNER.password);
    const member = await signedInPage(browser, TIA.email, TIA.password);
    const admin = await signedInPage(browser, ADA.email, ADA.password);
    await admin.page.goto("/sessions");
    const ownerRow = admin.page.getByTestId(`member-session-${OWNER.email}`).first();
    await expect(ownerRow.getByText("Only an owner can revoke an owner's sessions.")).toBeVisible();
    await expect(ownerRow.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

    // The page never carries a session's secret id (the cookie's content), only public handles.
    const html = await (await admin.page.request.get("/sessions")).text();
    for (const s of [...(await sessionsOf(OWNER.email)), ...(await sessionsOf(TIA.email))]) {
      expect(html).not.toContain(s.id);
    }

    // Capture a legitimate revoke of the member's session, then aim it at the owner's.
    const calls = recordActions(admin.page);
    await admin.page.getByTestId(`member-session-${TIA.email}`).getByRole("button", { name: /Revoke/ }).click();
    await expect.poll(async () => (await sessionsOf(TIA.email)).length).toBe(0);
    const revoke = calls[calls.length - 1];
    const ownerSession = await newestSession(OWNER.email);
    const aimed = new URLSearchParams(revoke.body.toString("utf8"));
    const multipart = revoke.contentType.startsWith("multipart/");
    const body = multipart
      ? revoke.body.toString("utf8").replace(/(name="sessionId"\r\n\r\n)[^\r]+/, `$1${ownerSession.publicId}`)
      : (aimed.set("sessionId", ownerSession.publicId), aimed.toString());
    const answer = await replay(admin.page, revoke, body);
    expect(answer).toContain("does not exist");
    expect(await queryOne(`SELECT id FROM "Session" WHERE id = ?`, ownerSession.id)).toBeDefined();
    // Nor does the secret id work as a handle.
    const withSecret = multipart
      ? revoke.body.toString("utf8").replace(/(name="sessionId"\r\n\r\n)[^\r]+/, `$1${ownerSession.id}`)
      : (aimed.set("sessionId", ownerSession.id), aimed.toString());
    expect(await replay(admin.page, revoke, withSecret)).not.toContain('"ok":true');
    expect(await queryOne(`SELECT id FROM "Session" WHERE id = ?`, ownerSession.id)).toBeDefined();
    await Promise.all([owner.context.close(), member.context.close(), admin.context.close()]);
  });

  test("with an authenticator app, sudo asks for a code: the password alone does not open it", async ({ page }) => {
    await forgetSessions(TIA.email);
    await signIn(page, TIA.email, TIA.password);
    tia = await enrolTotp(page, TIA.password);
    await signOut(page);

    // Signing in again now needs the code; then a sensitive action opens the dialog without a password tab.
    await signInToChallenge(page, TIA.email, TIA.password);
    await field(page, "6-digit code").fill(await nextFreshCode(tia.secret, tia.usedSteps));
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/overview");
    await page.goto("/security");
    const regenerate = page.getByRole("button", { name: "Regenerate codes" });
    await regenerate.click();
    const dialog = sudoDialog(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("radio", { name: "Password", exact: true })).toHaveCount(0);
    await expect(field(dialog, "Password")).toHaveCount(0);
    await dialog.getByRole("button", { name: "Cancel" }).click();

    // The owner's password request, replayed from Tia's session with Tia's own (right) password: refused, no grant.
    const grants = async () => (await queryAll(`SELECT id FROM "SudoGrant" WHERE "userId" = (SELECT id FROM "User" WHERE email = ?)`, TIA.email)).length;
    const before = await grants();
    const answer = await replay(page, sudoWithPassword, sudoWithPassword.body.toString("utf8").replace(OWNER.password, TIA.password));
    expect(answer).toContain("cannot be used here");
    expect(await grants()).toBe(before);

    // The code opens it.
    await regenerate.click();
    await expect(dialog).toBeVisible();
    await field(dialog, "6-digit code").fill(await nextFreshCode(tia.secret, tia.usedSteps));
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(dialog).toBeHidden();
    expect(await grants()).toBe(before + 1);
  });

  test("changing the password can sign out everywhere else", async ({ browser, page }) => {
    await forgetSessions(ADA.email);
    const elsewhere = await signedInPage(browser, ADA.email, ADA.password);
    await signIn(page, ADA.email, ADA.password);
    await page.goto("/security");
    await field(page, "New password").fill(ADA.password);
    await field(page, "Confirm new password").fill(ADA.password);
    await page.getByLabel("Sign out everywhere else").check();
    await page.getByRole("button", { name: "Change password" }).click();
    await confirmSudoWithPassword(page, ADA.password);
    await expect(page.getByText("Password changed. Signed out 1 other session.")).toBeVisible();
    expect(await sessionsOf(ADA.email)).toHaveLength(1);
    await elsewhere.page.goto("/overview");
    await expect(elsewhere.page).toHaveURL(/\/sign-in/);
    await elsewhere.context.close();
  });

  test("an attacker's burst from one network does not stop the real user signing in from another", async ({ browser }) => {
    const attacker = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.66" } });
    const page = await attacker.newPage();
    for (let i = 0; i < 8; i++) {
      await page.goto("/sign-in");
      await page.getByLabel("Email").fill(ADA.email);
      await page.getByLabel("Password").fill(`guess number ${i}`);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // Next's route announcer is an (empty) alert too: wait for the form's message.
      await expect(page.getByRole("alert").filter({ hasText: /\S/ }).first()).toBeVisible();
    }
    // From the attacker's network even the right password is refused now.
    await page.getByLabel("Password").fill(ADA.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts" })).toBeVisible();
    await attacker.close();
    // The real user, elsewhere, signs in at once.
    const real = await signedInFrom(browser, ADA, "203.0.113.44");
    await expect(real.page).toHaveURL(/\/overview/);
    await real.context.close();
  });

  test("refused sign-ins, also for unknown emails, reach the server output as JSON lines", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("nobody.at.all@nowhere.test");
    await page.getByLabel("Password").fill("whatever it is");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: /\S/ }).first()).toBeVisible();
    await expect
      .poll(() => securityLogLines().filter((l) => l.actor_label === "nobody.at.all@nowhere.test" && l.action === "user.sign_in"))
      .toEqual([expect.objectContaining({ outcome: "failure", organization_id: null, level: "warn", metadata: { reason: "unknown_email" } })]);
  });
});
