import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createDb, type Db } from "@/lib/server/db/client";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { formatKey } from "@/lib/api-keys/key-format";
import { keyMayUse } from "@/lib/api-keys/scopes";
import type { Actor } from "@/lib/server/audit/actor";
import { createApiKey } from "./create-api-key";
import { revokeApiKey } from "./revoke-api-key";
import { rollApiKey } from "./roll-api-key";
import { verifyApiKey } from "./verify-api-key";
import { keyUsageFor } from "./key-usage";
import { keyCacheFor } from "./key-cache";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const owner = () => acme.users["olive@acme.test"].userId;
const member = () => acme.users["mo@acme.test"].userId;
const actorFor = (userId: string, email: string): Actor => ({ kind: "user", userId, email, sessionId: null, request: testRequest });
const olive = () => actorFor(owner(), "olive@acme.test");
const authority = () => ({ orgId: acme.orgId, userId: owner(), manageAll: true });
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "olive@acme.test", role: "owner" },
    { email: "mo@acme.test", role: "member" },
  ]);
  globex = await seedOrg(t.db, "Globex", [{ email: "gina@globex.test", role: "owner" }]);
});
afterAll(async () => {
  // Write pending usage counts before the database goes.
  await keyUsageFor(t.db).flush();
  await t.cleanup();
});

async function issue(overrides: Partial<Parameters<typeof createApiKey>[1]> = {}) {
  return createApiKey(t.db, { orgId: acme.orgId, actor: olive(), ownerId: owner(), name: "CI", scopes: ["props:read"], ...overrides });
}

describe("issuing keys", () => {
  it("stores only the SHA-256 of the key, shows the raw key once and audits the creation", async () => {
    const { key, raw } = await issue({ name: "Deploy bot" });
    expect(raw).toMatch(/^gat_[0-9A-Za-z]{38}$/);
    const rows = await t.sql(`SELECT * FROM "ApiKey" WHERE "id" = ?`, key.id);
    expect(rows[0].hash).toBe(sha256(raw));
    expect(JSON.stringify(rows[0])).not.toContain(raw.slice(4));
    expect(JSON.stringify(key)).not.toContain(raw.slice(4));
    const audit = await t.sql(`SELECT "action", "metadata" FROM "AuditEvent" WHERE "resourceId" = ?`, key.id);
    expect(audit.map((a) => a.action)).toEqual(["api_key.created"]);
    expect(String(audit[0].metadata)).not.toContain(raw.slice(4));
  });

  it("defaults to a 90-day expiry, and the organization's maximum lifetime caps it", async () => {
    const { key } = await issue();
    const days = ((key.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    await t.db.organization.update({ where: { id: acme.orgId }, data: { apiKeyMaxLifetimeDays: 30 } });
    try {
      await expect(issue({ noExpiry: true })).rejects.toMatchObject({ code: "validation_failed" });
      await expect(issue({ expiresAt: new Date(Date.now() + 60 * 86_400_000) })).rejects.toMatchObject({ code: "validation_failed" });
      await expect(issue({ expiresAt: new Date(Date.now() + 10 * 86_400_000) })).resolves.toBeTruthy();
      // Without a date, the default lifetime is shortened to the policy's maximum rather than refused.
      const { key: capped } = await issue();
      expect(((capped.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000).toBeCloseTo(30, 1);
    } finally {
      await t.db.organization.update({ where: { id: acme.orgId }, data: { apiKeyMaxLifetimeDays: null } });
    }
  });

  it("applies the override rule: nonsense is discarded, above 100x the default is refused", async () => {
    const limitOf = async (value: unknown) => (await t.db.apiKey.findUniqueOrThrow({ where: { id: (await issue({ rateLimitPerMinute: value })).key.id } })).rateLimitPerMinute;
    expect(await limitOf(-5)).toBeNull();
    expect(await limitOf(0)).toBeNull();
    expect(await limitOf("lots")).toBeNull();
    expect(await limitOf(Number.NaN)).toBeNull();
    expect(await limitOf("1200")).toBe(1200);
    await expect(issue({ rateLimitPerMinute: 600 * 100 + 1 })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("never lets a member pick the wildcard or a scope their role cannot hold", async () => {
    const mo = actorFor(member(), "mo@acme.test");
    await expect(createApiKey(t.db, { orgId: acme.orgId, actor: mo, ownerId: member(), name: "x", scopes: ["*"] })).rejects.toMatchObject({ code: expect.any(String) });
    await expect(createApiKey(t.db, { orgId: acme.orgId, actor: mo, ownerId: member(), name: "x", scopes: ["keys:manage"] })).rejects.toBeTruthy();
    await expect(createApiKey(t.db, { orgId: acme.orgId, actor: mo, ownerId: member(), name: "x", scopes: ["props:write"] })).resolves.toBeTruthy();
  });

  it("refuses restrictions naming another organization's resources", async () => {
    const foreign = await t.db.platformResource.create({ data: { id: "globex-prop", organizationId: globex.orgId, type: "prop", name: "secret-repo", data: "{}" } });
    await expect(issue({ restrictions: { prop: [foreign.id] } })).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("verifying keys", () => {
  it("accepts a good key and refuses made-up, malformed, revoked and expired ones with their codes", async () => {
    const { key, raw } = await issue();
    expect(await verifyApiKey(t.db, raw, "198.51.100.1")).toMatchObject({ ok: true, key: { id: key.id, organizationId: acme.orgId } });
    expect(await verifyApiKey(t.db, null, null)).toEqual({ ok: false, code: "key_missing" });
    expect(await verifyApiKey(t.db, "gat_nope", null)).toEqual({ ok: false, code: "key_invalid" });
    expect(await verifyApiKey(t.db, formatKey("A".repeat(32)), null)).toEqual({ ok: false, code: "key_invalid" });
    // Expiry is checked on every use, cached or not.
    expect(await verifyApiKey(t.db, raw, null, Date.now() + 91 * 86_400_000)).toEqual({ ok: false, code: "key_expired" });
    await revokeApiKey(t.db, { keyId: key.id, authority: authority(), actor: olive() });
    // The very next request on this instance: the cache entry went with the revocation.
    expect(await verifyApiKey(t.db, raw, null)).toEqual({ ok: false, code: "key_revoked" });
  });

  it("holds a key with an allowlist to its networks", async () => {
    const { raw } = await issue({ allowedCidrs: ["10.0.0.0/8", "2001:db8::/32"] });
    expect((await verifyApiKey(t.db, raw, "10.1.2.3")).ok).toBe(true);
    expect((await verifyApiKey(t.db, raw, "2001:db8::1")).ok).toBe(true);
    expect(await verifyApiKey(t.db, raw, "11.1.2.3")).toEqual({ ok: false, code: "ip_not_allowed" });
    expect(await verifyApiKey(t.db, raw, null)).toEqual({ ok: false, code: "ip_not_allowed" });
    expect(await verifyApiKey(t.db, raw, "::ffff:10.1.2.3")).toMatchObject({ ok: true });
  });

  it("evaluates scopes against the owner's current role, and refuses a removed owner's key", async () => {
    const { raw } = await createApiKey(t.db, { orgId: acme.orgId, actor: actorFor(member(), "mo@acme.test"), ownerId: member(), name: "mo", scopes: ["props:write"] });
    const before = await verifyApiKey(t.db, raw, null);
    expect(before.ok && keyMayUse(before.key.scopes, before.key.ownerRole, "props:write")).toBe(true);
    await t.db.membership.update({ where: { id: acme.users["mo@acme.test"].membershipId }, data: { role: "auditor" } });
    keyCacheFor(t.db).invalidate(`owner:${member()}`);
    const lowered = await verifyApiKey(t.db, raw, null);
    expect(lowered.ok && keyMayUse(lowered.key.scopes, lowered.key.ownerRole, "props:write")).toBe(false);
    expect(lowered.ok && keyMayUse(lowered.key.scopes, lowered.key.ownerRole, "props:read")).toBe(true);
    await t.db.membership.update({ where: { id: acme.users["mo@acme.test"].membershipId }, data: { role: "member" } });
    keyCacheFor(t.db).invalidate(`owner:${member()}`);
  });

  it("rolling keeps the old key working through the grace period only, and a key rolls once", async () => {
    const { key, raw } = await issue();
    const rolled = await rollApiKey(t.db, { keyId: key.id, authority: authority(), actor: olive(), graceHours: 24 });
    expect((await verifyApiKey(t.db, raw, null)).ok).toBe(true);
    expect((await verifyApiKey(t.db, rolled.raw, null)).ok).toBe(true);
    expect(await verifyApiKey(t.db, raw, null, Date.now() + 25 * 3_600_000)).toEqual({ ok: false, code: "key_expired" });
    expect((await verifyApiKey(t.db, rolled.raw, null, Date.now() + 25 * 3_600_000)).ok).toBe(true);
    await expect(rollApiKey(t.db, { keyId: key.id, authority: authority(), actor: olive(), graceHours: 1 })).rejects.toMatchObject({ code: "conflict" });
    await expect(rollApiKey(t.db, { keyId: rolled.key.id, authority: authority(), actor: olive(), graceHours: 7 * 24 + 1 })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("a roll with no grace ends the old key at once", async () => {
    const { key, raw } = await issue();
    await rollApiKey(t.db, { keyId: key.id, authority: authority(), actor: olive(), graceHours: 0 });
    expect(await verifyApiKey(t.db, raw, null)).toEqual({ ok: false, code: "key_expired" });
  });

  it("two parallel rolls of one key: one wins, the other is a conflict", async () => {
    const { key } = await issue();
    const results = await Promise.allSettled([1, 2].map(() => rollApiKey(t.db, { keyId: key.id, authority: authority(), actor: olive(), graceHours: 1 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.apiKey.count({ where: { rolledToId: { not: null }, id: key.id } })).toBe(1);
  });

  it("another organization's owner cannot revoke or roll Acme's keys: not found", async () => {
    const { key } = await issue();
    const gina: Actor = actorFor(globex.users["gina@globex.test"].userId, "gina@globex.test");
    const theirs = { orgId: globex.orgId, userId: globex.users["gina@globex.test"].userId, manageAll: true };
    await expect(revokeApiKey(t.db, { keyId: key.id, authority: theirs, actor: gina })).rejects.toMatchObject({ code: "not_found" });
    await expect(rollApiKey(t.db, { keyId: key.id, authority: theirs, actor: gina, graceHours: 1 })).rejects.toMatchObject({ code: "not_found" });
    const mine = { orgId: acme.orgId, userId: member(), manageAll: false };
    await expect(revokeApiKey(t.db, { keyId: key.id, authority: mine, actor: actorFor(member(), "mo@acme.test") })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("rate limits", () => {
  it("counts a key's requests per minute and refuses beyond the limit", async () => {
    const { key } = await issue();
    const usage = keyUsageFor(t.db);
    const decisions = await Promise.all(Array.from({ length: 8 }, () => usage.consume(key.id, 5)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.at(-1)).toMatchObject({ allowed: false, remaining: 0 });
    await usage.flush();
    const rows = await t.sql(`SELECT "count" FROM "ApiKeyUsage" WHERE "keyId" = ?`, key.id);
    expect(Number(rows[0].count)).toBe(5);
  });
});

describe("across instances", () => {
  let other: Db;
  beforeAll(() => {
    other = createDb(t.url);
  });
  afterAll(() => other.$disconnect());

  it("shares the rate limit: an instance that was idle starts from the others' count", async () => {
    const { key } = await issue();
    const a = keyUsageFor(t.db);
    for (let i = 0; i < 4; i++) expect((await a.consume(key.id, 5)).allowed).toBe(true);
    await a.flush();
    const b = keyUsageFor(other);
    expect((await b.consume(key.id, 5)).allowed).toBe(true);
    expect((await b.consume(key.id, 5)).allowed).toBe(false);
  });

  it("an instance that was quiet reads the shared count again before deciding, so alternating instances hold the limit", async () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // The four requests below must share one minute window.
    if (new Date().getSeconds() > 54) await sleep((61 - new Date().getSeconds()) * 1000);
    const { key } = await issue();
    const a = keyUsageFor(t.db);
    const b = keyUsageFor(other);
    expect((await a.consume(key.id, 3)).allowed).toBe(true);
    await a.flush();
    await sleep(600);
    expect((await b.consume(key.id, 3)).allowed).toBe(true);
    await b.flush();
    await sleep(600);
    expect((await a.consume(key.id, 3)).allowed).toBe(true);
    await a.flush();
    await sleep(600);
    // b last saw 2 when it flushed; the third use happened on a since.
    expect(await b.consume(key.id, 3)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it.runIf(process.env.TEST_DB_PROVIDER === "postgres")("a revocation on one instance reaches another's cache through NOTIFY", async () => {
    const { key, raw } = await issue();
    // Warm the other instance's cache (and its LISTEN connection).
    expect((await verifyApiKey(other, raw, null)).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await verifyApiKey(other, raw, null)).ok).toBe(true);
    await revokeApiKey(t.db, { keyId: key.id, authority: authority(), actor: olive() });
    const deadline = Date.now() + 3_000;
    let check = await verifyApiKey(other, raw, null);
    while (check.ok && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      check = await verifyApiKey(other, raw, null);
    }
    expect(check).toEqual({ ok: false, code: "key_revoked" });
  });

  it("without a message, the cache's freshness bounds how long another instance can trust a revoked key", async () => {
    const { key, raw } = await issue();
    expect((await verifyApiKey(other, raw, null)).ok).toBe(true);
    // Revoke behind every instance's back, as a restore from backup would.
    await t.sql(`UPDATE "ApiKey" SET "revokedAt" = ? WHERE "id" = ?`, new Date(), key.id);
    expect(await verifyApiKey(other, raw, null, Date.now() + 11_000)).toEqual({ ok: false, code: "key_revoked" });
  });
});
