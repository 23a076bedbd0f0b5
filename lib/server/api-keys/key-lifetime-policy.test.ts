import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { setApiKeyMaxLifetime } from "@/lib/server/orgs/set-api-key-max-lifetime";
import type { UserActor } from "@/lib/server/audit/actor";
import { createApiKey } from "./create-api-key";
import { rollApiKey } from "./roll-api-key";
import { verifyApiKey } from "./verify-api-key";

// The organization's maximum key lifetime: set by owners (audited), enforced
// when a key is created and when one is rolled, and only in that organization.

const DAY = 86_400_000;
let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
let owner: UserActor;

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, sessionPublicId: null, request: testRequest };
});
afterAll(() => t.cleanup());

const create = (extra: { expiresAt?: Date; noExpiry?: boolean } = {}, orgId = acme.orgId, ownerId = owner.userId) =>
  createApiKey(t.db, { orgId, actor: { ...owner, userId: ownerId }, ownerId, name: "k", scopes: ["props:read"], ...extra });

describe("setting the maximum lifetime", () => {
  it("accepts 1 to 3650 whole days or none, refuses anything else, and audits from and to", async () => {
    for (const days of [0, -1, 1.5, 3651, Number.NaN]) {
      await expect(setApiKeyMaxLifetime(t.db, { orgId: acme.orgId, days, actor: owner })).rejects.toMatchObject({ code: "validation_failed" });
    }
    await setApiKeyMaxLifetime(t.db, { orgId: acme.orgId, days: 30, actor: owner });
    await setApiKeyMaxLifetime(t.db, { orgId: acme.orgId, days: null, actor: owner });
    const events = await t.db.auditEvent.findMany({ where: { organizationId: acme.orgId, action: "organization.api_key_policy_changed" }, orderBy: { seq: "asc" } });
    expect(events.map((e) => JSON.parse(e.metadata))).toEqual([
      { max_lifetime_days_from: null, max_lifetime_days_to: 30 },
      { max_lifetime_days_from: 30, max_lifetime_days_to: null },
    ]);
    expect(events.every((e) => e.actorId === owner.userId)).toBe(true);
  });
});

describe("creating under a maximum lifetime", () => {
  it("refuses an expiry past the maximum and no expiry, with an error on the expiry field; the default shrinks to fit", async () => {
    await setApiKeyMaxLifetime(t.db, { orgId: acme.orgId, days: 30, actor: owner });
    await expect(create({ expiresAt: new Date(Date.now() + 31 * DAY) })).rejects.toMatchObject({
      code: "validation_failed",
      message: "Your organization requires keys to expire within 30 days.",
      details: { fieldErrors: { expiresAt: ["Your organization requires keys to expire within 30 days."] } },
    });
    await expect(create({ noExpiry: true })).rejects.toMatchObject({ code: "validation_failed", details: { fieldErrors: { expiresAt: [expect.stringContaining("30 days")] } } });
    const inside = await create({ expiresAt: new Date(Date.now() + 29 * DAY) });
    expect(inside.key.expiresAt!.getTime()).toBeLessThan(Date.now() + 30 * DAY);
    // No expiry given: the 90-day default would break the policy, so it becomes 30 days.
    const byDefault = await create();
    expect(Math.round((byDefault.key.expiresAt!.getTime() - Date.now()) / DAY)).toBe(30);
    expect(await t.db.apiKey.count({ where: { organizationId: acme.orgId } })).toBe(2);
  });

  it("is the organization's own: another organization without a maximum still issues keys without expiry", async () => {
    const free = await create({ noExpiry: true }, globex.orgId, globex.users["owner@globex.test"].userId);
    expect(free.key.expiresAt).toBeNull();
  });
});

describe("rolling under a maximum lifetime", () => {
  it("caps the replacement of a key without expiry (or with a later one) at the maximum as it is now", async () => {
    await setApiKeyMaxLifetime(t.db, { orgId: acme.orgId, days: null, actor: owner });
    const forever = await create({ noExpiry: true });
    const far = await create({ expiresAt: new Date(Date.now() + 300 * DAY) });
    const near = await create({ expiresAt: new Date(Date.now() + 5 * DAY) });
    await setApiKeyMaxLifetime(t.db, { orgId: acme.orgId, days: 14, actor: owner });
    const authority = { orgId: acme.orgId, userId: owner.userId, manageAll: true };

    const rolledForever = await rollApiKey(t.db, { keyId: forever.key.id, authority, actor: owner, graceHours: 24 });
    expect(Math.round((rolledForever.key.expiresAt!.getTime() - Date.now()) / DAY)).toBe(14);
    const rolledFar = await rollApiKey(t.db, { keyId: far.key.id, authority, actor: owner, graceHours: 0 });
    expect(Math.round((rolledFar.key.expiresAt!.getTime() - Date.now()) / DAY)).toBe(14);
    // An earlier expiry than the maximum is kept as it was.
    const rolledNear = await rollApiKey(t.db, { keyId: near.key.id, authority, actor: owner, graceHours: 0 });
    expect(rolledNear.key.expiresAt!.getTime()).toBe(near.key.expiresAt!.getTime());

    // The old key of the first roll works through its grace period, the new one too.
    expect((await verifyApiKey(t.db, forever.raw, null)).ok).toBe(true);
    expect((await verifyApiKey(t.db, rolledForever.raw, null)).ok).toBe(true);
    expect(rolledForever.oldKeyExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3_600_000);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "api_key.rolled", resourceId: forever.key.id } });
    expect(JSON.parse(audit.metadata).new_key_expires_at).toBe(rolledForever.key.expiresAt!.toISOString());
  });
});
