import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { signInWithPassword, GENERIC_SIGN_IN_ERROR } from "./sign-in-with-password";
import { loadSession } from "@/lib/server/sessions/load-session";
import { endSession } from "@/lib/server/sessions/end-session";

let t: TestDb;
let orgId: string;
beforeAll(async () => {
  t = await createTestDb();
  ({ orgId } = await seedOrg(t.db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "victim@acme.test", role: "member" },
  ]));
});
afterAll(() => t.cleanup());

describe("signInWithPassword", () => {
  it("creates a trusted Session row with device context and one audit event", async () => {
    const { sessionId } = await signInWithPassword(t.db, { email: " Owner@Acme.test ", password: "correct horse battery", request: testRequest });
    const row = await t.db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row).toMatchObject({ trustState: "trusted", ip: "203.0.113.7", deviceLabel: "Chrome on Linux", activeOrgId: orgId });
    expect(sessionId.length).toBeGreaterThanOrEqual(43);
    // Audit rows name the session by its public handle: the id is the secret inside the cookie.
    expect(row.publicId).not.toBe(sessionId);
    expect(await t.db.auditEvent.count({ where: { sessionId } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { resourceId: sessionId } })).toBe(0);
    const events = await t.db.auditEvent.findMany({ where: { action: "user.sign_in", sessionId: row.publicId } });
    expect(events).toHaveLength(1);
    expect(events[0].outcome).toBe("success");
    expect(events[0].resourceId).toBe(row.publicId);
  });

  it("gives the same error for a wrong password and an unknown email, and audits both", async () => {
    const request = { ...testRequest, ip: "198.51.100.20" };
    const wrong = signInWithPassword(t.db, { email: "owner@acme.test", password: "nope", request });
    await expect(wrong).rejects.toMatchObject({ code: "unauthenticated", message: GENERIC_SIGN_IN_ERROR });
    const unknown = signInWithPassword(t.db, { email: "nobody@acme.test", password: "nope", request });
    await expect(unknown).rejects.toMatchObject({ code: "unauthenticated", message: GENERIC_SIGN_IN_ERROR });
    const failures = await t.db.auditEvent.findMany({ where: { action: "user.sign_in", outcome: "failure" }, orderBy: { occurredAt: "asc" } });
    expect(failures.map((f) => JSON.parse(f.metadata).reason)).toEqual(["wrong_password", "unknown_email"]);
    expect(failures[0].organizationId).toBe(orgId);
    expect(failures[1].organizationId).toBeNull();
  });

  it("locks an account out after repeated failures, even with the right password, across client instances", async () => {
    const request = { ...testRequest, ip: "198.51.100.30" };
    for (let i = 0; i < 6; i++) {
      await signInWithPassword(t.db, { email: "victim@acme.test", password: `guess-${i}`, request }).catch(() => undefined);
    }
    // A new Prisma client on the same file stands in for a restarted server.
    const { createDb } = await import("@/lib/server/db/client");
    const restarted = createDb(t.url);
    await expect(signInWithPassword(restarted, { email: "victim@acme.test", password: "correct horse battery", request })).rejects.toMatchObject({
      code: "rate_limited",
    });
    await restarted.$disconnect();
    const denied = await t.db.auditEvent.count({ where: { action: "user.sign_in", outcome: "denied" } });
    expect(denied).toBeGreaterThanOrEqual(1);
  });
});

describe("session rows", () => {
  it("stop working the moment the row is deleted", async () => {
    const { sessionId } = await signInWithPassword(t.db, { email: "owner@acme.test", password: "correct horse battery", request: testRequest });
    const loaded = await loadSession(t.db, sessionId);
    expect(loaded).not.toBeNull();
    await endSession(t.db, sessionId, "sign_out");
    expect(await loadSession(t.db, sessionId)).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "user.sign_out", sessionId: loaded!.session.publicId } })).toBe(1);
  });

  it("expire on idle and absolute limits and are then deleted", async () => {
    const { sessionId } = await signInWithPassword(t.db, { email: "owner@acme.test", password: "correct horse battery", request: testRequest });
    await t.db.session.update({ where: { id: sessionId }, data: { idleExpiresAt: new Date(Date.now() - 1000) } });
    expect(await loadSession(t.db, sessionId)).toBeNull();
    expect(await t.db.session.findUnique({ where: { id: sessionId } })).toBeNull();
  });
});
