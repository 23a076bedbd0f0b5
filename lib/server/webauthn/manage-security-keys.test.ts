import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { listSecurityKeys, removeSecurityKey, renameSecurityKey } from "./manage-security-keys";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "alice@acme.test", role: "owner" },
    { email: "bob@acme.test", role: "member" },
    { email: "dave@acme.test", role: "member" },
  ]);
});
afterAll(() => t.cleanup());

const rid = () => randomBytes(12).toString("base64url");
const userId = (email: string) => acme.users[email].userId;
const actorOf = (email: string, sessionId: string | null = null) => ({ userId: userId(email), email, sessionId, sessionPublicId: sessionId && `pub-${sessionId}`, request: testRequest });

// Set-up rows are inserted directly: the ceremonies are covered by their own tests.
async function addKey(email: string, name: string) {
  return t.db.securityKey.create({
    data: { id: rid(), userId: userId(email), name, credentialId: rid(), publicKey: rid(), counter: 0, transports: "[]", deviceType: "singleDevice", backedUp: false },
  });
}
async function addSession(email: string, trustState = "trusted") {
  const in1h = new Date(Date.now() + 3_600_000);
  return t.db.session.create({
    data: { id: rid(), publicId: rid(), userId: userId(email), activeOrgId: acme.orgId, expiresAt: in1h, idleExpiresAt: in1h, deviceLabel: "Chrome on Linux", trustState, trustReason: "Signed in" },
  });
}
async function addRecoveryCodes(email: string, count = 3) {
  for (let i = 0; i < count; i++) await t.db.recoveryCode.create({ data: { id: rid(), userId: userId(email), codeHash: rid() } });
}

describe("managing security keys", () => {
  it("lists a user's keys without key material", async () => {
    await addKey("alice@acme.test", "Desk key");
    await addKey("alice@acme.test", "Travel key");
    await addKey("bob@acme.test", "Bob's key");
    const keys = await listSecurityKeys(t.db, userId("alice@acme.test"));
    expect(keys.map((k) => k.name)).toEqual(["Desk key", "Travel key"]);
    expect(Object.keys(keys[0]).sort()).toEqual(["backedUp", "createdAt", "deviceType", "id", "lastUsedAt", "name"]);
  });

  it("renames the user's own key with an audit event", async () => {
    const key = await addKey("alice@acme.test", "Old name");
    const renamed = await renameSecurityKey(t.db, { userId: userId("alice@acme.test"), keyId: key.id, name: " New name ", actor: actorOf("alice@acme.test"), organizationId: acme.orgId });
    expect(renamed).toEqual({ id: key.id, name: "New name" });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "security_key.renamed", resourceId: key.id } });
    expect(JSON.parse(audit.metadata)).toEqual({ from: "Old name", to: "New name" });
    await expect(
      renameSecurityKey(t.db, { userId: userId("alice@acme.test"), keyId: key.id, name: "", actor: actorOf("alice@acme.test"), organizationId: acme.orgId }),
    ).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("treats another user's key as not found", async () => {
    const bobKey = await addKey("bob@acme.test", "Bob's other key");
    const asAlice = { userId: userId("alice@acme.test"), keyId: bobKey.id, actor: actorOf("alice@acme.test"), organizationId: acme.orgId };
    await expect(renameSecurityKey(t.db, { ...asAlice, name: "Mine now" })).rejects.toMatchObject({ code: "not_found" });
    await expect(removeSecurityKey(t.db, { ...asAlice, currentSessionId: null })).rejects.toMatchObject({ code: "not_found" });
    expect(await t.db.securityKey.findUniqueOrThrow({ where: { id: bobKey.id } })).toMatchObject({ name: "Bob's other key", userId: userId("bob@acme.test") });
    await expect(removeSecurityKey(t.db, { ...asAlice, keyId: "does-not-exist", currentSessionId: null })).rejects.toMatchObject({ code: "not_found" });
  });

  it("untrusts the user's other sessions and drops recovery codes with the last factor", async () => {
    const key = await addKey("dave@acme.test", "Only key");
    await addRecoveryCodes("dave@acme.test");
    const current = await addSession("dave@acme.test");
    const other = await addSession("dave@acme.test");
    const pending = await addSession("dave@acme.test", "pending_second_factor");
    const bobSession = await addSession("bob@acme.test");
    await t.db.sudoGrant.create({ data: { id: rid(), sessionId: other.id, userId: userId("dave@acme.test"), factor: "password", expiresAt: new Date(Date.now() + 600_000) } });

    const result = await removeSecurityKey(t.db, {
      userId: userId("dave@acme.test"), keyId: key.id, actor: actorOf("dave@acme.test", current.id), organizationId: acme.orgId, currentSessionId: current.id,
    });
    expect(result).toEqual({ id: key.id, name: "Only key", lastFactorRemoved: true, sessionsUntrusted: 1 });
    expect(await t.db.securityKey.findUnique({ where: { id: key.id } })).toBeNull();
    expect(await t.db.recoveryCode.count({ where: { userId: userId("dave@acme.test") } })).toBe(0);

    const state = async (id: string) => (await t.db.session.findUniqueOrThrow({ where: { id } })).trustState;
    expect(await state(current.id)).toBe("trusted");
    expect(await state(other.id)).toBe("untrusted");
    expect(await state(pending.id)).toBe("pending_second_factor");
    expect(await state(bobSession.id)).toBe("trusted");
    expect((await t.db.session.findUniqueOrThrow({ where: { id: other.id } })).trustReason).toBe("A second factor was removed");
    expect(await t.db.sudoGrant.count({ where: { sessionId: other.id, endedAt: null } })).toBe(0);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "security_key.removed", resourceId: key.id } });
    expect(audit).toMatchObject({ actorId: userId("dave@acme.test"), sessionId: `pub-${current.id}`, organizationId: acme.orgId });
    expect(await t.db.auditEvent.count({ where: { action: "session.untrusted", resourceId: other.publicId } })).toBe(1);
  });

  it("keeps recovery codes while another factor remains", async () => {
    const dave = userId("dave@acme.test");
    const first = await addKey("dave@acme.test", "First");
    const second = await addKey("dave@acme.test", "Second");
    await addRecoveryCodes("dave@acme.test");
    const base = { userId: dave, actor: actorOf("dave@acme.test"), organizationId: acme.orgId, currentSessionId: null };

    expect((await removeSecurityKey(t.db, { ...base, keyId: first.id })).lastFactorRemoved).toBe(false);
    expect(await t.db.recoveryCode.count({ where: { userId: dave } })).toBe(3);

    // A TOTP credential still being set up is not a factor; an enabled one is.
    await t.db.totpCredential.create({ data: { id: rid(), userId: dave, secretCiphertext: "sealed", enabledAt: new Date() } });
    expect((await removeSecurityKey(t.db, { ...base, keyId: second.id })).lastFactorRemoved).toBe(false);
    expect(await t.db.recoveryCode.count({ where: { userId: dave } })).toBe(3);
  });

  it("does not count a TOTP credential that was never enabled", async () => {
    const bob = userId("bob@acme.test");
    await t.db.securityKey.deleteMany({ where: { userId: bob } });
    const key = await addKey("bob@acme.test", "Last one");
    await t.db.totpCredential.create({ data: { id: rid(), userId: bob, secretCiphertext: "sealed", enabledAt: null } });
    await addRecoveryCodes("bob@acme.test");
    const result = await removeSecurityKey(t.db, { userId: bob, keyId: key.id, actor: actorOf("bob@acme.test"), organizationId: acme.orgId, currentSessionId: null });
    expect(result.lastFactorRemoved).toBe(true);
    expect(await t.db.recoveryCode.count({ where: { userId: bob } })).toBe(0);
  });
});
