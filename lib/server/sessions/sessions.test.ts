import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { signInWithPassword } from "@/lib/server/auth/sign-in-with-password";
import { verifyFactor } from "@/lib/server/auth/verify-factor";
import { openSudo } from "@/lib/server/sudo/open-sudo";
import { changePassword } from "@/lib/server/users/change-password";
import { loadSession } from "./load-session";
import { completeSecondFactor, restoreTrust } from "./change-trust";
import { revokeOtherSessions, revokeSession } from "./revoke-sessions";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
const PASSWORD = "correct horse battery";
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "admin@acme.test", role: "admin" },
    { email: "member@acme.test", role: "member" },
  ]);
  await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

const signIn = async (email: string, request = testRequest) => (await signInWithPassword(t.db, { email, password: PASSWORD, request })).sessionId;
/** The public handle audit events name a session by. */
const pub = (sessionId: string) => `pub-${sessionId}`;
const actorFor = (email: string, sessionId: string, request = testRequest) => ({ userId: acme.users[email].userId, email, sessionId, sessionPublicId: pub(sessionId), request });

describe("trust transitions on use", () => {
  it("drops trust when the IP leaves its /24, ends sudo, and is audited once", async () => {
    const sid = await signIn("owner@acme.test");
    await openSudo(t.db, { sessionId: sid, trustState: "trusted", factor: "password", actor: actorFor("owner@acme.test", sid), organizationId: acme.orgId });
    expect((await loadSession(t.db, sid, { ...testRequest, ip: "203.0.113.200" }))?.session.trustState).toBe("trusted");
    const moved = await loadSession(t.db, sid, { ...testRequest, ip: "198.51.100.1" });
    expect(moved?.session.trustState).toBe("untrusted");
    expect(moved?.session.trustReason).toMatch(/another network/);
    expect(moved?.sudo).toBeNull();
    await loadSession(t.db, sid, { ...testRequest, ip: "198.51.100.1" });
    const { publicId } = await t.db.session.findUniqueOrThrow({ where: { id: sid } });
    expect(await t.db.auditEvent.count({ where: { action: "session.untrusted", resourceId: publicId } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { OR: [{ resourceId: sid }, { sessionId: sid }] } })).toBe(0);

    // Restoring trust makes the new network the baseline.
    await restoreTrust(t.db, { sessionId: sid, factor: "password", actor: actorFor("owner@acme.test", sid, { ...testRequest, ip: "198.51.100.1" }), organizationId: acme.orgId });
    expect((await loadSession(t.db, sid, { ...testRequest, ip: "198.51.100.7" }))?.session.trustState).toBe("trusted");
  });

  it("drops trust when the browser family changes", async () => {
    const sid = await signIn("owner@acme.test");
    expect((await loadSession(t.db, sid, { ...testRequest, userAgent: FIREFOX }))?.session.trustReason).toBe("The browser changed from Chrome to Firefox");
  });

  it("makes the user's other sessions untrusted when the password changes elsewhere", async () => {
    const here = await signIn("admin@acme.test");
    const there = await signIn("admin@acme.test");
    await changePassword(t.db, { actor: actorFor("admin@acme.test", here), newPassword: PASSWORD, organizationId: acme.orgId });
    expect((await t.db.session.findUniqueOrThrow({ where: { id: here } })).trustState).toBe("trusted");
    const other = await t.db.session.findUniqueOrThrow({ where: { id: there } });
    expect(other.trustState).toBe("untrusted");
    expect(other.trustReason).toBe("The password was changed in another session");
  });

  it("ends every other session still waiting for its second factor when the password changes, so the old password cannot finish signing in", async () => {
    const here = await signIn("admin@acme.test");
    const halfway = await signIn("admin@acme.test");
    // As if this browser had passed the (old) password of a user with a second factor.
    await t.db.session.update({ where: { id: halfway }, data: { trustState: "pending_second_factor" } });
    const result = await changePassword(t.db, { actor: actorFor("admin@acme.test", here), newPassword: PASSWORD, organizationId: acme.orgId });
    expect(result.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect(await t.db.session.findUnique({ where: { id: halfway } })).toBeNull();
    expect(await loadSession(t.db, halfway)).toBeNull();
    await expect(
      completeSecondFactor(t.db, { sessionId: halfway, factor: "totp", actor: actorFor("admin@acme.test", halfway), organizationId: acme.orgId }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect((await t.db.session.findUniqueOrThrow({ where: { id: here } })).trustState).toBe("trusted");
  });

  it("signs out every other session on a password change with sign out everywhere else", async () => {
    const here = await signIn("admin@acme.test");
    const other = await signIn("admin@acme.test");
    const result = await changePassword(t.db, { actor: actorFor("admin@acme.test", here), newPassword: PASSWORD, organizationId: acme.orgId, signOutOthers: true });
    expect(result).toMatchObject({ sessionsUntrusted: 0 });
    expect(await t.db.session.findUnique({ where: { id: other } })).toBeNull();
    expect(await t.db.session.count({ where: { userId: acme.users["admin@acme.test"].userId } })).toBe(1);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "user.password_changed" }, orderBy: { seq: "desc" } });
    expect(JSON.parse(event.metadata)).toMatchObject({ signed_out_others: true });
  });

  it("refuses sudo on an untrusted session", async () => {
    await expect(
      openSudo(t.db, { sessionId: "x", trustState: "untrusted", factor: "password", actor: actorFor("owner@acme.test", "x"), organizationId: acme.orgId }),
    ).rejects.toMatchObject({ code: "untrusted" });
  });
});

describe("verifyFactor", () => {
  it("locks the account out after repeated wrong passwords, even for the right one, and audits failures", async () => {
    const sid = await signIn("member@acme.test");
    const attempt = (password: string) =>
      verifyFactor(t.db, {
        userId: acme.users["member@acme.test"].userId,
        email: "member@acme.test",
        sessionId: sid,
        sessionPublicId: "pub",
        organizationId: acme.orgId,
        proof: { kind: "password", password },
        allowed: ["password"],
        purpose: "sudo",
        request: { ...testRequest, ip: "192.0.2.44" },
      });
    expect(await attempt(PASSWORD)).toBe("password");
    for (let i = 0; i < 6; i++) await attempt("wrong").catch(() => undefined);
    await expect(attempt(PASSWORD)).rejects.toMatchObject({ code: "rate_limited" });
    expect(await t.db.auditEvent.count({ where: { action: "user.verification_failed", actorId: acme.users["member@acme.test"].userId } })).toBeGreaterThanOrEqual(5);
  });

  it("refuses a method the purpose does not accept without checking it", async () => {
    await expect(
      verifyFactor(t.db, {
        userId: acme.users["owner@acme.test"].userId,
        email: "owner@acme.test",
        sessionId: "s",
        sessionPublicId: "pub",
        organizationId: acme.orgId,
        proof: { kind: "password", password: PASSWORD },
        allowed: ["totp", "security_key"],
        purpose: "disable_two_factor",
        request: testRequest,
      }),
    ).rejects.toMatchObject({ code: "invalid_factor" });
  });
});

describe("revoking sessions", () => {
  it("lets admins revoke members' sessions by public handle, never owners', and treats another tenant's session as missing", async () => {
    const publicIdOf = async (id: string) => (await t.db.session.findUniqueOrThrow({ where: { id } })).publicId;
    const adminSid = await signIn("admin@acme.test");
    const memberSid = await signIn("member@acme.test");
    const ownerSid = await signIn("owner@acme.test");
    const foreignSid = (await signInWithPassword(t.db, { email: "owner@globex.test", password: PASSWORD, request: testRequest })).sessionId;
    const admin = actorFor("admin@acme.test", adminSid);
    const revokeAsAdmin = async (id: string) =>
      revokeSession(t.db, { actor: admin, orgId: acme.orgId, actorRole: "admin", publicId: await publicIdOf(id), mayManageMembers: true });
    const gone = { code: "not_found", message: "That session does not exist or has already ended." };

    await revokeAsAdmin(memberSid);
    expect(await t.db.session.findUnique({ where: { id: memberSid } })).toBeNull();
    // An admin cannot end an owner's session: the same rule as member management.
    await expect(revokeAsAdmin(ownerSid)).rejects.toMatchObject(gone);
    expect(await t.db.session.findUnique({ where: { id: ownerSid } })).not.toBeNull();
    await expect(revokeAsAdmin(foreignSid)).rejects.toMatchObject(gone);
    expect(await t.db.session.findUnique({ where: { id: foreignSid } })).not.toBeNull();
    // The secret id is not a handle.
    await expect(revokeSession(t.db, { actor: admin, orgId: acme.orgId, actorRole: "admin", publicId: ownerSid, mayManageMembers: true })).rejects.toMatchObject(gone);
    // The owner may end the admin's session.
    const owner = actorFor("owner@acme.test", ownerSid);
    await revokeSession(t.db, { actor: owner, orgId: acme.orgId, actorRole: "owner", publicId: await publicIdOf(adminSid), mayManageMembers: true });
    expect(await t.db.session.findUnique({ where: { id: adminSid } })).toBeNull();
  });

  it("signs out every other session of the user and records the sudo grant", async () => {
    const keep = await signIn("member@acme.test");
    await signIn("member@acme.test");
    const count = await revokeOtherSessions(t.db, { actor: { ...actorFor("member@acme.test", keep), sudoGrantId: "grant-1" }, orgId: acme.orgId, currentSessionId: keep });
    expect(count).toBeGreaterThanOrEqual(1);
    expect(await t.db.session.count({ where: { userId: acme.users["member@acme.test"].userId } })).toBe(1);
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { action: "session.revoked_others" } });
    expect(event.sudoGrantId).toBe("grant-1");
  });
});
