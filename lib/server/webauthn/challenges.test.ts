import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { createDb } from "@/lib/server/db/client";
import { createChallenge, takeChallenge, CHALLENGE_TTL_MS } from "./challenges";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.cleanup());

let n = 0;
const unique = (label: string) => `${label}-${++n}-${Math.random().toString(36).slice(2)}`;

describe("WebAuthn challenges", () => {
  it("can be taken once", async () => {
    const bind = { purpose: "authenticate" as const, userId: "u-once", sessionId: "s-once" };
    await createChallenge(t.db, { ...bind, challenge: unique("once") });
    expect(await takeChallenge(t.db, bind)).toMatch(/^once-/);
    expect(await takeChallenge(t.db, bind)).toBeNull();
  });

  it("expires after five minutes", async () => {
    const bind = { purpose: "register" as const, userId: "u-exp", sessionId: "s-exp" };
    const before = Date.now();
    const { id } = await createChallenge(t.db, { ...bind, challenge: unique("exp") });
    const row = await t.db.webAuthnChallenge.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt.getTime() - before).toBeGreaterThanOrEqual(CHALLENGE_TTL_MS - 1000);
    expect(row.expiresAt.getTime() - before).toBeLessThanOrEqual(CHALLENGE_TTL_MS + 1000);

    await t.db.webAuthnChallenge.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await takeChallenge(t.db, bind)).toBeNull();
  });

  it("is bound to the user and the session", async () => {
    const bind = { purpose: "authenticate" as const, userId: "u-bound", sessionId: "s-bound" };
    await createChallenge(t.db, { ...bind, challenge: unique("bound") });
    expect(await takeChallenge(t.db, { ...bind, userId: "someone-else" })).toBeNull();
    expect(await takeChallenge(t.db, { ...bind, sessionId: "another-session" })).toBeNull();
    expect(await takeChallenge(t.db, { ...bind, sessionId: null })).toBeNull();
    expect(await takeChallenge(t.db, { ...bind, purpose: "register" })).toBeNull();
    // The failed attempts above did not consume it.
    expect(await takeChallenge(t.db, bind)).toMatch(/^bound-/);
  });

  it("gives a challenge to exactly one of several concurrent takers", async () => {
    const bind = { purpose: "authenticate" as const, userId: "u-race", sessionId: "s-race" };
    await createChallenge(t.db, { ...bind, challenge: unique("race") });
    const results = await Promise.all(Array.from({ length: 8 }, () => takeChallenge(t.db, bind)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it("gives a challenge to exactly one of two connections racing for it", async () => {
    const bind = { purpose: "register" as const, userId: "u-race2", sessionId: "s-race2" };
    const second = createDb(t.url);
    try {
      await createChallenge(t.db, { ...bind, challenge: unique("race2") });
      const results = await Promise.all([takeChallenge(t.db, bind), takeChallenge(second, bind), takeChallenge(t.db, bind), takeChallenge(second, bind)]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    } finally {
      await second.$disconnect();
    }
  });

  it("lets a new ceremony supersede the previous one of the same session", async () => {
    const bind = { purpose: "register" as const, userId: "u-new", sessionId: "s-new" };
    await createChallenge(t.db, { ...bind, challenge: unique("first") });
    await createChallenge(t.db, { ...bind, challenge: unique("second") });
    expect(await takeChallenge(t.db, bind)).toMatch(/^second-/);
    expect(await takeChallenge(t.db, bind)).toBeNull();
  });

  it("finds anonymous sign-in challenges only by id", async () => {
    const bind = { purpose: "sign_in" as const, userId: null, sessionId: null, sessionPublicId: null };
    const a = await createChallenge(t.db, { ...bind, challenge: unique("signin-a") });
    const b = await createChallenge(t.db, { ...bind, challenge: unique("signin-b") });
    expect(await takeChallenge(t.db, { ...bind, id: "not-an-id" })).toBeNull();
    // An authenticated ceremony cannot take an anonymous challenge, even knowing its id.
    expect(await takeChallenge(t.db, { id: a.id, purpose: "authenticate", userId: "u", sessionId: "s" })).toBeNull();
    expect(await takeChallenge(t.db, { ...bind, id: a.id })).toMatch(/^signin-a-/);
    expect(await takeChallenge(t.db, { ...bind, id: a.id })).toBeNull();
    expect(await takeChallenge(t.db, { ...bind, id: b.id })).toMatch(/^signin-b-/);
  });

  it("deletes expired challenges when a new one is created", async () => {
    const { id } = await createChallenge(t.db, { purpose: "authenticate", userId: "u-old", sessionId: "s-old", challenge: unique("old") });
    await t.db.webAuthnChallenge.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    await createChallenge(t.db, { purpose: "authenticate", userId: "u-other", sessionId: "s-other", challenge: unique("fresh") });
    expect(await t.db.webAuthnChallenge.findUnique({ where: { id } })).toBeNull();
  });
});
