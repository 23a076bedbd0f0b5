import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb, type Db } from "@/lib/server/db/client";
import { signInWithPassword } from "@/lib/server/auth/sign-in-with-password";
import { verifyFactor } from "@/lib/server/auth/verify-factor";
import { reserveAttempt, rememberDevice } from "./attempts";
import { purgeStaleBuckets } from "./purge";
import { RATE_LIMIT_POLICIES } from "./policies";

let t: TestDb;
/** A second client: another instance on PostgreSQL; the same client on SQLite, which serves one instance. */
let other: Db;
let acme: Awaited<ReturnType<typeof seedOrg>>;
const PASSWORD = "correct horse battery";
const EMAILS = ["burst@acme.test", "victim@acme.test", "device@acme.test", "purpose@acme.test", "v6@acme.test"];

beforeAll(async () => {
  t = await createTestDb();
  other = t.provider === "postgres" ? createDb(t.url) : t.db;
  acme = await seedOrg(t.db, "Acme", EMAILS.map((email) => ({ email, role: "member" as const })));
});
afterAll(async () => {
  if (other !== t.db) await other.$disconnect();
  await t.cleanup();
});

const from = (ip: string, deviceToken: string | null = null) => ({ ...testRequest, ip, deviceToken });
const signIn = (db: Db, email: string, password: string, request = from("198.51.100.66")) => signInWithPassword(db, { email, password, request });
const outcomes = async (email: string) =>
  (await t.db.auditEvent.findMany({ where: { action: "user.sign_in", actorLabel: email }, select: { outcome: true } })).map((e) => e.outcome);

describe("sign-in attempts", () => {
  it("checks a parallel burst of 70 wrong passwords at most 5 times (the account-and-network limit), across instances", async () => {
    const burst = await Promise.allSettled(Array.from({ length: 70 }, (_, i) => signIn(i % 2 ? other : t.db, "burst@acme.test", `guess-${i}`)));
    // Every attempt is refused cleanly: a wrong password or too many attempts, never an internal error.
    const codes = burst.map((r) => (r.status === "rejected" ? (r.reason as { code?: string }).code : "signed in"));
    for (const code of codes) expect(["unauthenticated", "rate_limited"]).toContain(code);
    const seen = await outcomes("burst@acme.test");
    // Each checked attempt is audited as a failure; every other one was refused before argon2 ran.
    expect(seen.filter((o) => o === "failure").length).toBeLessThanOrEqual(RATE_LIMIT_POLICIES.sign_in.account_network.limit);
    expect(seen.filter((o) => o === "denied").length).toBeGreaterThanOrEqual(65);
    // Even the right password is refused from that network now.
    await expect(signIn(t.db, "burst@acme.test", PASSWORD)).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("does not stop the real user signing in from another network during an attacker's burst", async () => {
    await Promise.allSettled(Array.from({ length: 70 }, (_, i) => signIn(t.db, "victim@acme.test", `guess-${i}`, from("198.51.100.77"))));
    await expect(signIn(t.db, "victim@acme.test", PASSWORD, from("198.51.100.77"))).rejects.toMatchObject({ code: "rate_limited" });
    const { sessionId } = await signIn(t.db, "victim@acme.test", PASSWORD, from("203.0.113.10"));
    expect(sessionId).toBeTruthy();
  });

  it("keeps a device that signed in before out of the attacker's bucket, even on the attacker's network", async () => {
    const email = "device@acme.test";
    const token = "known-device-token-0123456789abcdef";
    await rememberDevice(t.db, acme.users[email].userId, token);
    // The attacker shares the user's network (say, the same NAT) and burns its limit.
    await Promise.allSettled(Array.from({ length: 40 }, (_, i) => signIn(t.db, email, `guess-${i}`, from("192.0.2.50"))));
    await expect(signIn(t.db, email, PASSWORD, from("192.0.2.50"))).rejects.toMatchObject({ code: "rate_limited" });
    // The real user's browser carries its device token: its own bucket, untouched.
    expect((await signIn(t.db, email, PASSWORD, from("192.0.2.50", token))).sessionId).toBeTruthy();
    // A forged or unknown token is just another stranger.
    await expect(signIn(t.db, email, PASSWORD, from("192.0.2.50", "made-up-token-made-up-token-1234"))).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("counts IPv6 clients by /64, so rotating addresses inside one prefix does not escape", async () => {
    const email = "v6@acme.test";
    for (let i = 0; i < 5; i++) await signIn(t.db, email, `guess-${i}`, from(`2001:db8:77:1::${(i + 1).toString(16)}`)).catch(() => undefined);
    await expect(signIn(t.db, email, PASSWORD, from("2001:db8:77:1:ffff::9"))).rejects.toMatchObject({ code: "rate_limited" });
    // Another /64 is another network.
    expect((await signIn(t.db, email, PASSWORD, from("2001:db8:77:2::1"))).sessionId).toBeTruthy();
  });
});

describe("factor attempts", () => {
  it("keep a bucket per purpose: a locked sudo does not lock the sign-in challenge", async () => {
    const email = "purpose@acme.test";
    const userId = acme.users[email].userId;
    const attempt = (purpose: "sudo" | "sign_in", password: string) =>
      verifyFactor(t.db, {
        userId,
        email,
        sessionId: "s",
        sessionPublicId: "pub-s",
        organizationId: acme.orgId,
        proof: { kind: "password", password },
        allowed: ["password"],
        purpose,
        request: from("198.51.100.90"),
      });
    await Promise.allSettled(Array.from({ length: 20 }, (_, i) => attempt("sudo", `wrong-${i}`)));
    await expect(attempt("sudo", PASSWORD)).rejects.toMatchObject({ code: "rate_limited" });
    expect(await attempt("sign_in", PASSWORD)).toBe("password");
    const failures = await t.db.auditEvent.count({ where: { action: "user.verification_failed", actorId: userId } });
    expect(failures).toBeLessThanOrEqual(RATE_LIMIT_POLICIES.sudo.account_network.limit);
  });
});

describe("unauthenticated purposes", () => {
  it("count every passkey start against the network and never hand it back", async () => {
    const limit = RATE_LIMIT_POLICIES.passkey_start.network.limit;
    const results = await Promise.all(Array.from({ length: limit + 5 }, () => reserveAttempt(t.db, "passkey_start", { ip: "203.0.113.99" })));
    expect(results.filter((r) => r.ok)).toHaveLength(limit);
  });

  it("stop every stranger once the global ceiling is reached, from any network", async () => {
    const limit = RATE_LIMIT_POLICIES.passkey_sign_in.global.limit;
    // As if limit - 1 failures had just come from all over the internet.
    await t.db.rateLimitBucket.create({ data: { key: "passkey_sign_in:global:all", count: limit - 1, windowStart: new Date() } });
    const last = await reserveAttempt(t.db, "passkey_sign_in", { ip: "10.1.2.3" });
    if (!last.ok) throw new Error("the last attempt under the ceiling must be checked");
    expect(await last.reservation.failed()).not.toBeNull();
    const fresh = await reserveAttempt(t.db, "passkey_sign_in", { ip: "172.16.99.1" });
    expect(fresh).toMatchObject({ ok: false });
  });
});

describe("bucket table", () => {
  it("purges buckets untouched for two days, but keeps locked and recent ones", async () => {
    const old = new Date(Date.now() - 3 * 24 * 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    await t.db.rateLimitBucket.createMany({
      data: [
        { key: "test:stale", count: 1, windowStart: old },
        { key: "test:locked", count: 5, windowStart: old, lockedUntil: future },
        { key: "test:recent", count: 1, windowStart: new Date() },
      ],
    });
    // updatedAt is maintained by Prisma; age the first two behind its back.
    await t.sql(`UPDATE "RateLimitBucket" SET "updatedAt" = ? WHERE "key" IN (?, ?)`, old, "test:stale", "test:locked");
    await purgeStaleBuckets(t.db);
    const left = (await t.db.rateLimitBucket.findMany({ where: { key: { startsWith: "test:" } } })).map((b) => b.key).sort();
    expect(left).toEqual(["test:locked", "test:recent"]);
  });
});
