import { expect, test, type Page } from "@playwright/test";
import { auditCount, queryAll, queryOne, signIn, signedInPage } from "../fixtures/app";
import { FIREFOX_ON_WINDOWS, forgetSessions, inviteUser, newestSession, sessionById, sessionsOf, signedInElsewhere, type TestUser } from "../fixtures/people";
import { confirmSudoWithPassword, field, sudoDialog } from "../fixtures/two-factor";

const SUE: TestUser = { name: "Sue Sudo", email: "sue@acme.test", password: "sudo mode needs a long passphrase" };

interface GrantRow {
  id: string;
  factor: string;
  endedAt: string | null;
  expiresAt: string;
}
const grantsOf = async (sessionId: string) =>
  await queryAll<GrantRow>(`SELECT id, factor, "endedAt", "expiresAt" FROM "SudoGrant" WHERE "sessionId" = ? ORDER BY "createdAt"`, sessionId);

const sudoIndicator = (page: Page) => page.getByRole("status").filter({ hasText: "Sudo mode" });

test.describe.serial("sudo mode and revoking sessions", () => {
  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, SUE);
  });
  test.beforeEach(async () => await forgetSessions(SUE.email));

  test("a sensitive action without sudo asks to confirm it's you, runs with the grant, and Exit sudo ends it", async ({ page, browser }) => {
    const other = await signedInPage(browser, SUE.email, SUE.password);
    const otherId = (await newestSession(SUE.email)).id;
    await signIn(page, SUE.email, SUE.password);
    // The session's secret id keys its sudo grants; audit events name it by its public handle.
    const { id: sessionId, publicId } = await newestSession(SUE.email);
    await page.goto("/sessions");
    await expect(page.getByRole("list", { name: "Your sessions" }).getByTestId("current-session")).toBeVisible();
    await expect(page.getByTestId("other-session")).toHaveCount(1);
    await expect(sudoIndicator(page)).toHaveCount(0);

    // Without sudo the action is not run: the re-verification dialog opens instead.
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    const dialog = sudoDialog(page);
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
    expect(await sessionById(otherId)).toBeDefined();
    expect((await grantsOf(sessionId))).toEqual([]);

    // A wrong password opens nothing.
    await field(dialog, "Password").fill("not my password at all");
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(dialog.getByRole("alert")).toContainText("That password is not correct.");
    expect((await grantsOf(sessionId))).toEqual([]);
    expect(await sessionById(otherId)).toBeDefined();

    // The right one opens sudo and the original action is retried.
    await field(dialog, "Password").fill(SUE.password);
    await dialog.getByRole("button", { name: "Confirm", exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Signed out 1 other session.")).toBeVisible();
    await expect(sudoIndicator(page)).toContainText(/Sudo mode · 1[45]:\d\d/);
    expect(await sessionById(otherId)).toBeUndefined();

    const [grant] = (await grantsOf(sessionId));
    expect(grant).toMatchObject({ factor: "password", endedAt: null });
    expect(new Date(grant.expiresAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(await auditCount("sudo.opened", `"sessionId" = ? AND "sudoGrantId" = ?`, publicId, grant.id)).toBe(1);
    const revoked = await queryOne<{ sudoGrantId: string | null; metadata: string }>(
      `SELECT "sudoGrantId", metadata FROM "AuditEvent" WHERE action = 'session.revoked_others' AND "sessionId" = ?`,
      publicId,
    );
    expect(revoked?.sudoGrantId).toBe(grant.id);
    expect(JSON.parse(revoked?.metadata ?? "{}")).toMatchObject({ sessions_ended: 1 });

    // Exit sudo ends the grant at once.
    await sudoIndicator(page).getByRole("button", { name: "Exit sudo" }).click();
    await expect(sudoIndicator(page)).toHaveCount(0);
    expect((await grantsOf(sessionId))[0].endedAt).not.toBeNull();
    expect(await auditCount("sudo.exited", `"sessionId" = ?`, publicId)).toBe(1);

    // So the next sensitive action asks again; cancelling it changes nothing.
    const third = await signedInPage(browser, SUE.email, SUE.password);
    const thirdId = (await newestSession(SUE.email)).id;
    await page.reload();
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Cancelled: this action needs you to confirm it's you.")).toBeVisible();
    expect(await sessionById(thirdId)).toBeDefined();
    expect((await grantsOf(sessionId))).toHaveLength(1);
    expect(await auditCount("session.revoked_others", `"sessionId" = ?`, publicId)).toBe(1);
    await Promise.all([other.context.close(), third.context.close()]);
  });

  test("signing out all other sessions signs another browser out on its next request", async ({ page, browser }) => {
    const other = await signedInPage(browser, SUE.email, SUE.password);
    await other.page.goto("/sessions");
    await signIn(page, SUE.email, SUE.password);
    // The session's secret id keys its sudo grants; audit events name it by its public handle.
    const { id: sessionId, publicId } = await newestSession(SUE.email);
    await page.goto("/sessions");
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    await confirmSudoWithPassword(page, SUE.password);
    await expect(page.getByText("Signed out 1 other session.")).toBeVisible();
    expect((await sessionsOf(SUE.email)).map((s) => s.id)).toEqual([sessionId]);
    await expect(page.getByTestId("other-session")).toHaveCount(0);

    await other.page.getByRole("link", { name: "Members", exact: true }).click();
    await expect(other.page).toHaveURL(/\/sign-in/);
    await other.page.goto("/overview");
    await expect(other.page).toHaveURL(/\/sign-in/);
    await expect(other.page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
    await other.context.close();
  });

  test("revoking one session (no sudo needed) signs that browser out", async ({ page, browser }) => {
    const kept = await signedInPage(browser, SUE.email, SUE.password);
    const keptId = (await newestSession(SUE.email)).id;
    const other = await signedInElsewhere(browser, SUE, FIREFOX_ON_WINDOWS);
    const target = await newestSession(SUE.email);
    expect(target.deviceLabel).toBe("Firefox on Windows");
    await signIn(page, SUE.email, SUE.password);
    await page.goto("/sessions");
    const others = page.getByTestId("other-session");
    await expect(others).toHaveCount(2);
    await page.getByRole("button", { name: "Revoke Firefox on Windows session" }).click();
    await expect(others).toHaveCount(1);
    await expect(sudoDialog(page)).toHaveCount(0);
    expect(await sessionById(target.id)).toBeUndefined();
    expect(await sessionById(keptId)).toBeDefined();
    expect(await auditCount("session.revoked", `"resourceId" = ?`, target.publicId)).toBe(1);

    await other.page.reload();
    await expect(other.page).toHaveURL(/\/sign-in/);
    await kept.page.reload();
    await expect(kept.page).toHaveURL(/\/overview$/);
    await Promise.all([other.context.close(), kept.context.close()]);
  });
});
