import { expect, test, type Page } from "@playwright/test";
import { auditCount, queryOne, signIn } from "../fixtures/app";
import { FIREFOX_ON_WINDOWS, forgetSessions, inviteUser, newestSession, sessionById, type TestUser } from "../fixtures/people";
import { nextFreshCode } from "../fixtures/totp";
import { confirmSudoWithCode, confirmSudoWithPassword, enrolTotp, field } from "../fixtures/two-factor";

// An admin, so inviting someone on /members is a change this user may normally make.
const TRUDY: TestUser = { name: "Trudy Trust", email: "trudy@acme.test", password: "trust but verify, always" };

const banner = (page: Page) => page.getByRole("alert").filter({ hasText: "This session is untrusted." });
const invitations = async (email: string) => (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "Invitation" WHERE email = ?`, email))?.n;
const lastTrustEvent = async (action: string, sessionId: string) =>
  await queryOne<{ metadata: string; actorType: string; ip: string | null }>(
    `SELECT metadata, "actorType", ip FROM "AuditEvent" WHERE action = ? AND "resourceId" = ? ORDER BY seq DESC LIMIT 1`,
    action,
    sessionId,
  );

async function invite(page: Page, email: string) {
  await page.goto("/members");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Create invitation" }).click();
}

test.describe.serial("session trust", () => {
  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, TRUDY, "admin");
  });
  test.beforeEach(async () => await forgetSessions(TRUDY.email));

  test("an IP change makes the session untrusted: reading works, changes wait until trust is restored (password, no 2FA)", async ({ page, context }) => {
    await signIn(page, TRUDY.email, TRUDY.password);
    const session = await newestSession(TRUDY.email);
    expect(session).toMatchObject({ trustState: "trusted", ip: "127.0.0.1" });

    // The same browser now reaches us from another network.
    await context.setExtraHTTPHeaders({ "x-forwarded-for": "203.0.113.50" });
    await page.goto("/members");
    await expect(banner(page)).toContainText("The IP address moved to another network (203.0.113.50)");
    await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
    expect(await sessionById(session.id)).toMatchObject({ trustState: "untrusted", ip: "127.0.0.1" });
    expect(await auditCount("session.untrusted", `"resourceId" = ?`, session.publicId)).toBe(1);
    const untrusted = (await lastTrustEvent("session.untrusted", session.publicId));
    expect(untrusted).toMatchObject({ actorType: "system", ip: "203.0.113.50" });
    expect(JSON.parse(untrusted?.metadata ?? "{}").reason).toContain("203.0.113.50");

    // A change is refused, with the way out in the message.
    await invite(page, "first.hire@acme.test");
    const refusal = page.getByRole("alert").filter({ hasText: "Restore trust" }).filter({ hasNotText: "This session is untrusted." });
    await expect(refusal).toContainText("untrusted");
    await expect(refusal.getByRole("link", { name: "Restore trust" })).toHaveAttribute("href", "/restore-trust");
    expect((await invitations("first.hire@acme.test"))).toBe(0);

    await banner(page).getByRole("link", { name: "Restore trust" }).click();
    await page.waitForURL("**/restore-trust");
    await expect(page.getByText("Why this session is untrusted")).toBeVisible();
    // No second factor: the password is the only way, and a wrong one changes nothing.
    await expect(page.getByRole("radio")).toHaveCount(0);
    await field(page, "Password").fill("a wrong password here");
    await page.getByRole("button", { name: "Restore trust", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That password is not correct." }).first()).toBeVisible();
    expect((await sessionById(session.id))?.trustState).toBe("untrusted");

    await field(page, "Password").fill(TRUDY.password);
    await page.getByRole("button", { name: "Restore trust", exact: true }).click();
    await page.waitForURL("**/sessions");
    await expect(banner(page)).toHaveCount(0);
    // Trusted again, with the new network as its baseline.
    expect(await sessionById(session.id)).toMatchObject({ trustState: "trusted", trustFactor: "password", ip: "203.0.113.50" });
    expect(JSON.parse((await lastTrustEvent("session.trust_restored", session.publicId))?.metadata ?? "{}")).toEqual({ factor: "password" });

    // Trusted again; inviting is also sensitive, so it asks for sudo first.
    await invite(page, "first.hire@acme.test");
    await confirmSudoWithPassword(page, TRUDY.password);
    await expect(page.getByTestId("invitation-link")).toBeVisible();
    expect((await invitations("first.hire@acme.test"))).toBe(1);
    // Staying on the new network keeps trust.
    await page.goto("/sessions");
    await expect(banner(page)).toHaveCount(0);
    expect(await auditCount("session.untrusted", `"resourceId" = ?`, session.publicId)).toBe(1);
  });

  test("the session cookie used from another browser family makes it untrusted", async ({ page, context, browser }) => {
    await signIn(page, TRUDY.email, TRUDY.password);
    const session = await newestSession(TRUDY.email);
    // The same cookie, replayed by a different browser (as a thief would).
    const thief = await browser.newContext({ storageState: await context.storageState(), userAgent: FIREFOX_ON_WINDOWS });
    const thiefPage = await thief.newPage();
    await thiefPage.goto("/members");
    await expect(banner(thiefPage)).toContainText("The browser changed from Headless Chrome to Firefox");
    expect((await sessionById(session.id))?.trustState).toBe("untrusted");
    await invite(thiefPage, "thief.friend@acme.test");
    await expect(thiefPage.getByRole("alert").filter({ hasText: "Restore trust" }).filter({ hasNotText: "This session is untrusted." })).toBeVisible();
    expect((await invitations("thief.friend@acme.test"))).toBe(0);
    // The owner's own browser sees the same row: it is untrusted for them too until they confirm.
    await page.goto("/sessions");
    await expect(banner(page)).toBeVisible();
    await thief.close();
  });

  test("with an authenticator app, trust comes back with a code, not the password", async ({ page, context }) => {
    test.setTimeout(120_000);
    await signIn(page, TRUDY.email, TRUDY.password);
    const enrolment = await enrolTotp(page, TRUDY.password);
    const session = await newestSession(TRUDY.email);
    expect(await queryOne(`SELECT id FROM "SudoGrant" WHERE "sessionId" = ? AND "endedAt" IS NULL`, session.id)).toBeDefined();

    await context.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.7" });
    await page.goto("/members");
    await expect(banner(page)).toContainText("198.51.100.7");
    expect((await sessionById(session.id))?.trustState).toBe("untrusted");
    // Losing trust also ends the sudo window.
    expect(await queryOne(`SELECT id FROM "SudoGrant" WHERE "sessionId" = ? AND "endedAt" IS NULL`, session.id)).toBeUndefined();

    await invite(page, "second.hire@acme.test");
    await expect(page.getByRole("alert").filter({ hasText: "Restore trust" }).filter({ hasNotText: "This session is untrusted." })).toBeVisible();
    expect((await invitations("second.hire@acme.test"))).toBe(0);

    await page.goto("/restore-trust");
    await expect(page.getByRole("radio", { name: "Authenticator app" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Recovery code" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "Password" })).toHaveCount(0);
    await field(page, "6-digit code").fill(await nextFreshCode(enrolment.secret, enrolment.usedSteps));
    await page.getByRole("button", { name: "Restore trust", exact: true }).click();
    await page.waitForURL("**/sessions");
    await expect(banner(page)).toHaveCount(0);
    expect(await sessionById(session.id)).toMatchObject({ trustState: "trusted", trustFactor: "totp", ip: "198.51.100.7" });
    expect(await auditCount("session.untrusted", `"resourceId" = ?`, session.publicId)).toBe(1);
    expect(JSON.parse((await lastTrustEvent("session.trust_restored", session.publicId))?.metadata ?? "{}")).toEqual({ factor: "totp" });

    // Losing trust ended sudo: inviting asks again, with the app's code.
    await invite(page, "second.hire@acme.test");
    await confirmSudoWithCode(page, enrolment);
    await expect(page.getByTestId("invitation-link")).toBeVisible();
    expect((await invitations("second.hire@acme.test"))).toBe(1);
  });
});
