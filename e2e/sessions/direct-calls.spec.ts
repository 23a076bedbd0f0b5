import { expect, test } from "@playwright/test";
import { OWNER, auditCount, queryOne, signIn, signedInPage } from "../fixtures/app";
import { recordActions, replay, type Captured } from "../fixtures/actions";
import { forgetSessions, inviteUser, makeOwnerOfNewOrganization, newestSession, sessionById, sessionsOf, userId, type TestUser } from "../fixtures/people";
import { confirmSudoWithPassword } from "../fixtures/two-factor";

// Dan is the victim in Acme; Eve owns another organization (Rival Labs).
const DAN: TestUser = { name: "Dan Direct", email: "dan@acme.test", password: "direct calls must be guarded" };
const EVE: TestUser = { name: "Eve Elsewhere", email: "eve@rival.test", password: "another tenant entirely here" };

const grantOpen = async (sessionId: string) => Boolean(await queryOne(`SELECT id FROM "SudoGrant" WHERE "sessionId" = ? AND "endedAt" IS NULL`, sessionId));

test.describe.serial("direct calls to sensitive actions", () => {
  // Dan's "Sign out all other sessions" as sent with sudo, and the sudo request before it.
  let revokeOthers: Captured;
  let openSudo: Captured;

  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, DAN);
    await inviteUser(browser, EVE);
    // Eve is moved to an organization of her own (no UI for a second organization yet).
    await makeOwnerOfNewOrganization(EVE.email, "Rival Labs");
  });

  test("capture: the real request behind 'Sign out all other sessions' with sudo", async ({ page, browser }) => {
    await forgetSessions(DAN.email);
    const other = await signedInPage(browser, DAN.email, DAN.password);
    await signIn(page, DAN.email, DAN.password);
    await page.goto("/sessions");
    const calls = recordActions(page);
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    await confirmSudoWithPassword(page, DAN.password);
    await expect(page.getByText("Signed out 1 other session.")).toBeVisible();

    // First attempt (refused: no sudo), the sudo request, then the same action again.
    const revokeId = calls[0].action;
    const attempts = calls.filter((c) => c.action === revokeId);
    expect(attempts.length).toBe(2);
    revokeOthers = attempts[attempts.length - 1];
    const sudoCalls = calls.filter((c) => c.action !== revokeId);
    expect(sudoCalls).toHaveLength(1);
    openSudo = sudoCalls[0];
    await other.context.close();
  });

  test("replayed from a session without sudo: sudo_required, nothing ends", async ({ page, browser }) => {
    await forgetSessions(DAN.email);
    const bystander = await signedInPage(browser, DAN.email, DAN.password);
    await signIn(page, DAN.email, DAN.password);
    const before = (await sessionsOf(DAN.email)).map((s) => s.id).sort();
    const events = await auditCount("session.revoked_others", `"actorId" = ?`, await userId(DAN.email));

    const body = await replay(page, revokeOthers);
    expect(body).toContain("sudo_required");
    expect((await sessionsOf(DAN.email)).map((s) => s.id).sort()).toEqual(before);
    expect(await auditCount("session.revoked_others", `"actorId" = ?`, await userId(DAN.email))).toBe(events);
    await bystander.context.close();
  });

  test("replayed from an untrusted session, even one that had sudo: untrusted, nothing ends", async ({ page, browser }) => {
    await forgetSessions(DAN.email);
    const bystander = await signedInPage(browser, DAN.email, DAN.password);
    await signIn(page, DAN.email, DAN.password);
    const session = await newestSession(DAN.email);

    // Open sudo on this session by replaying the sudo request (it carries Dan's own password).
    expect(await replay(page, openSudo)).toContain("expiresAt");
    expect((await grantOpen(session.id))).toBe(true);

    const before = (await sessionsOf(DAN.email)).map((s) => s.id).sort();
    const events = await auditCount("session.revoked_others", `"actorId" = ?`, await userId(DAN.email));
    const body = await replay(page, revokeOthers, undefined, { "x-forwarded-for": "203.0.113.50" });
    expect(body).toContain("untrusted");
    expect(body).not.toContain("Signed out");
    expect((await sessionById(session.id))?.trustState).toBe("untrusted");
    expect((await grantOpen(session.id))).toBe(false);
    expect((await sessionsOf(DAN.email)).map((s) => s.id).sort()).toEqual(before);
    expect(await auditCount("session.revoked_others", `"actorId" = ?`, await userId(DAN.email))).toBe(events);
    await bystander.context.close();
  });

  test("a user of another organization: the captured request cannot reach Dan, and naming his session is refused", async ({ page, browser }) => {
    await forgetSessions(DAN.email);
    await forgetSessions(EVE.email);
    const dan = await signedInPage(browser, DAN.email, DAN.password);
    const danSecond = await signedInPage(browser, DAN.email, DAN.password);
    const danSessions = (await sessionsOf(DAN.email)).map((s) => s.id).sort();
    expect(danSessions).toHaveLength(2);

    // Eve, owner of Rival Labs, in sudo mode on a trusted session of her own.
    const eveOther = await signedInPage(browser, EVE.email, EVE.password);
    await signIn(page, EVE.email, EVE.password);
    await page.goto("/sessions");
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    await confirmSudoWithPassword(page, EVE.password);
    await expect(page.getByText("Signed out 1 other session.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Members' sessions" })).toBeVisible();
    await expect(page.getByText(DAN.email)).toHaveCount(0);

    // Dan's captured request names no user and no organization: replayed by Eve it acts on Eve alone.
    const acmeEvents = await auditCount("session.revoked_others", `"actorId" = ?`, await userId(DAN.email));
    const body = await replay(page, revokeOthers);
    expect(body).toContain("There were no other sessions.");
    expect((await sessionsOf(DAN.email)).map((s) => s.id).sort()).toEqual(danSessions);
    expect(await auditCount("session.revoked_others", `"actorId" = ?`, await userId(DAN.email))).toBe(acmeEvents);

    // A request that does name Dan's session: capture Acme's owner revoking one, replay it as Eve for the other.
    const owner = await signedInPage(browser, OWNER.email, OWNER.password);
    await owner.page.goto("/sessions");
    const ownerCalls = recordActions(owner.page);
    await owner.page.getByRole("button", { name: new RegExp(`^Revoke ${DAN.email} `) }).first().click();
    await expect.poll(async () => (await sessionsOf(DAN.email)).length).toBe(1);
    const [revokeOne] = ownerCalls;
    // Requests name sessions by their public handle: the revoked one's is in the body, the survivor's goes in its place.
    const revoked = await queryOne<{ resourceId: string }>(`SELECT "resourceId" FROM "AuditEvent" WHERE action = 'session.revoked' ORDER BY seq DESC LIMIT 1`);
    const [survivor] = await sessionsOf(DAN.email);
    expect(revoked?.resourceId && survivor).toBeTruthy();
    const forged = revokeOne.body.toString("utf8").replace(revoked!.resourceId, survivor.publicId);
    expect(forged).toContain(survivor.publicId);

    const eveBody = await replay(page, revokeOne, forged);
    expect(eveBody).toContain("not_found");
    expect(await sessionById(survivor.id)).toBeDefined();
    expect(await auditCount("session.revoked", `"resourceId" = ?`, survivor.publicId)).toBe(0);
    await Promise.all([dan.context.close(), danSecond.context.close(), eveOther.context.close(), owner.context.close()]);
  });
});

