import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { registerSoftwareKey } from "@/test/register-software-key";
import { startSecurityKeyAuthentication, verifySecurityKeyAssertion } from "./authenticate-security-key";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "alice@acme.test", role: "owner" },
    { email: "bob@acme.test", role: "member" },
    { email: "carol@acme.test", role: "member" },
  ]);
});
afterAll(() => t.cleanup());

const who = (email: string, sessionId = `session-of-${email}`) => ({ userId: acme.users[email].userId, email, sessionId });

const registerKey = (email: string, name: string, opts: { counter?: number } = {}) =>
  registerSoftwareKey(t.db, { ...who(email), name, organizationId: acme.orgId, counter: opts.counter });

describe("security key as a second factor", () => {
  it("verifies an assertion from the user's key and records its use", async () => {
    const alice = who("alice@acme.test");
    const { key, stored } = await registerKey("alice@acme.test", "Desk key");
    const options = await startSecurityKeyAuthentication(t.db, alice);
    expect(options.allowCredentials).toEqual([{ id: key.id, type: "public-key", transports: ["usb"] }]);
    expect(options.rpId).toBe("localhost");

    const result = await verifySecurityKeyAssertion(t.db, { ...alice, response: key.assert(options) });
    expect(result).toEqual({ keyId: stored.id, keyName: "Desk key" });
    const row = await t.db.securityKey.findUniqueOrThrow({ where: { id: stored.id } });
    expect(row.counter).toBe(1);
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    // Verification is for the caller to audit; nothing was written here.
    expect(await t.db.auditEvent.count({ where: { resourceId: stored.id, action: { not: "security_key.registered" } } })).toBe(0);
  });

  it("accepts a response only once", async () => {
    const alice = who("alice@acme.test");
    const { key } = await registerKey("alice@acme.test", "Replay key");
    const response = key.assert(await startSecurityKeyAuthentication(t.db, alice));
    await verifySecurityKeyAssertion(t.db, { ...alice, response });
    await expect(verifySecurityKeyAssertion(t.db, { ...alice, response })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("refuses a counter that went backwards (a cloned authenticator)", async () => {
    const bob = who("bob@acme.test");
    const { key, stored } = await registerKey("bob@acme.test", "Counting key", { counter: 10 });
    await verifySecurityKeyAssertion(t.db, { ...bob, response: key.assert(await startSecurityKeyAuthentication(t.db, bob)) });
    expect((await t.db.securityKey.findUniqueOrThrow({ where: { id: stored.id } })).counter).toBe(11);

    for (const counter of [11, 5, 0]) {
      const clone = key.assert(await startSecurityKeyAuthentication(t.db, bob), { counter });
      await expect(verifySecurityKeyAssertion(t.db, { ...bob, response: clone })).rejects.toMatchObject({ code: "validation_failed" });
    }
    expect((await t.db.securityKey.findUniqueOrThrow({ where: { id: stored.id } })).counter).toBe(11);
    // The genuine key, moving forward, still works.
    await verifySecurityKeyAssertion(t.db, { ...bob, response: key.assert(await startSecurityKeyAuthentication(t.db, bob), { counter: 12 }) });
  });

  it("accepts keys that never count (both counters zero)", async () => {
    const bob = who("bob@acme.test");
    const { key } = await registerKey("bob@acme.test", "Synced passkey");
    for (let i = 0; i < 2; i++) {
      const response = key.assert(await startSecurityKeyAuthentication(t.db, bob), { counter: 0 });
      await expect(verifySecurityKeyAssertion(t.db, { ...bob, response })).resolves.toMatchObject({ keyName: "Synced passkey" });
    }
  });

  it("treats another user's key like an unknown key", async () => {
    const carol = who("carol@acme.test");
    await registerKey("carol@acme.test", "Carol's key");
    const { key: aliceKey, stored } = await registerKey("alice@acme.test", "Alice's key");
    const response = aliceKey.assert(await startSecurityKeyAuthentication(t.db, carol));
    await expect(verifySecurityKeyAssertion(t.db, { ...carol, response })).rejects.toMatchObject({ code: "validation_failed" });
    expect((await t.db.securityKey.findUniqueOrThrow({ where: { id: stored.id } })).lastUsedAt).toBeNull();
  });

  it("refuses a challenge from another session, a wrong origin and a bad signature", async () => {
    const carol = who("carol@acme.test");
    const { key } = await registerKey("carol@acme.test", "Travel key");

    const fromOtherSession = key.assert(await startSecurityKeyAuthentication(t.db, { ...carol, sessionId: "phone" }));
    await expect(verifySecurityKeyAssertion(t.db, { ...carol, response: fromOtherSession })).rejects.toMatchObject({ code: "validation_failed" });

    const wrongOrigin = key.assert(await startSecurityKeyAuthentication(t.db, carol), { origin: "https://evil.test" });
    await expect(verifySecurityKeyAssertion(t.db, { ...carol, response: wrongOrigin })).rejects.toMatchObject({ code: "validation_failed" });

    const good = key.assert(await startSecurityKeyAuthentication(t.db, carol));
    const tampered = { ...good, response: { ...good.response, signature: Buffer.from("not a signature").toString("base64url") } };
    await expect(verifySecurityKeyAssertion(t.db, { ...carol, response: tampered })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("refuses malformed responses without a server error", async () => {
    const carol = who("carol@acme.test");
    for (const response of [JSON.parse("null"), JSON.parse("{}"), JSON.parse('{"id":"AAAA","rawId":"AAAA","type":"public-key"}')]) {
      await startSecurityKeyAuthentication(t.db, carol);
      await expect(verifySecurityKeyAssertion(t.db, { ...carol, response })).rejects.toMatchObject({ name: "AppError", code: "validation_failed" });
    }
  });

  it("has nothing to offer a user without keys", async () => {
    const u = await t.db.user.create({ data: { id: "no-keys", email: "nokeys@acme.test", name: "No Keys", passwordHash: "x" } });
    await expect(startSecurityKeyAuthentication(t.db, { userId: u.id, sessionId: "s" })).rejects.toMatchObject({ code: "not_found" });
  });
});
