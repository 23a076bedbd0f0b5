import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { SoftwareAuthenticator } from "@/test/software-authenticator";
import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { finishSecurityKeyRegistration, startSecurityKeyRegistration } from "./register-security-key";
import { getRelyingParty } from "./relying-party";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "alice@acme.test", role: "owner" },
    { email: "bob@acme.test", role: "member" },
  ]);
});
afterAll(() => t.cleanup());

const rp = { origin: "http://localhost:3000", rpID: "localhost" };
const userOf = (email: string) => {
  const userId = acme.users[email].userId;
  const sessionId = `session-of-${email}`;
  return {
    userId,
    sessionId,
    actor: { userId, email, sessionId, sessionPublicId: `pub-${sessionId}`, request: testRequest },
    start: () => startSecurityKeyRegistration(t.db, { userId, email, displayName: email.split("@")[0], sessionId }),
    finish: (response: RegistrationResponseJSON, name = "YubiKey 5C") =>
      finishSecurityKeyRegistration(t.db, { userId, sessionId, name, response, actor: { userId, email, sessionId, sessionPublicId: `pub-${sessionId}`, request: testRequest }, organizationId: acme.orgId }),
  };
};

const garbage: RegistrationResponseJSON = {
  id: "AAAA",
  rawId: "AAAA",
  type: "public-key",
  response: { clientDataJSON: "bm90LWpzb24", attestationObject: "Z2FyYmFnZQ" },
  clientExtensionResults: {},
};

describe("security key registration", () => {
  it("derives the relying party from PUBLIC_URL", () => {
    expect(getRelyingParty()).toEqual({ rpID: "localhost", rpName: "Gatehouse", origin: "http://localhost:3000" });
  });

  it("offers options bound to the user, with the user's keys excluded", async () => {
    const alice = userOf("alice@acme.test");
    const options = await alice.start();
    expect(options.rp).toEqual({ id: "localhost", name: "Gatehouse" });
    expect(options.user.name).toBe("alice@acme.test");
    expect(Buffer.from(options.user.id, "base64url").toString("utf8")).toBe(alice.userId);
    expect(options.attestation).toBe("none");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "preferred", userVerification: "preferred" });
    expect(Buffer.from(options.challenge, "base64url")).toHaveLength(32);
    const stored = await t.db.webAuthnChallenge.findFirstOrThrow({ where: { challenge: options.challenge } });
    expect(stored).toMatchObject({ purpose: "register", userId: alice.userId, sessionId: alice.sessionId });
  });

  it("refuses a garbage response without storing a key, and ends the ceremony", async () => {
    const bob = userOf("bob@acme.test");
    await bob.start();
    await expect(bob.finish(garbage)).rejects.toMatchObject({ name: "AppError", code: "validation_failed" });
    expect(await t.db.securityKey.count({ where: { userId: bob.userId } })).toBe(0);
    expect(await t.db.webAuthnChallenge.count({ where: { userId: bob.userId, purpose: "register" } })).toBe(0);
  });

  it("refuses a response when there is no pending ceremony", async () => {
    const bob = userOf("bob@acme.test");
    const key = new SoftwareAuthenticator(rp);
    const options = await bob.start();
    await t.db.webAuthnChallenge.deleteMany({ where: { userId: bob.userId } });
    await expect(bob.finish(key.register(options))).rejects.toMatchObject({ code: "validation_failed" });
    expect(await t.db.securityKey.count({ where: { userId: bob.userId } })).toBe(0);
  });

  it("refuses a ceremony started by another user or session", async () => {
    const alice = userOf("alice@acme.test");
    const bob = userOf("bob@acme.test");
    const key = new SoftwareAuthenticator(rp);
    const options = await alice.start();
    // Bob answers Alice's challenge: he has no pending challenge of his own.
    await expect(bob.finish(key.register(options))).rejects.toMatchObject({ code: "validation_failed" });
    await expect(
      finishSecurityKeyRegistration(t.db, { ...alice, sessionId: "another-session", name: "Key", response: key.register(options), organizationId: acme.orgId }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    expect(await t.db.securityKey.count({ where: { credentialId: key.id } })).toBe(0);
  });

  it("refuses a response made for another origin or RP id", async () => {
    const bob = userOf("bob@acme.test");
    const key = new SoftwareAuthenticator(rp);
    await expect(bob.finish(key.register(await bob.start(), { origin: "https://evil.test" }))).rejects.toMatchObject({ code: "validation_failed" });
    await expect(bob.finish(key.register(await bob.start(), { rpID: "evil.test" }))).rejects.toMatchObject({ code: "validation_failed" });
    expect(await t.db.securityKey.count({ where: { credentialId: key.id } })).toBe(0);
  });

  it("stores a verified credential with its audit event", async () => {
    const alice = userOf("alice@acme.test");
    const key = new SoftwareAuthenticator(rp);
    const options = await alice.start();
    const created = await alice.finish(key.register(options, { userVerified: false }), "  Desk key  ");
    expect(created.name).toBe("Desk key");

    const row = await t.db.securityKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ userId: alice.userId, credentialId: key.id, counter: 0, deviceType: "singleDevice", backedUp: false, lastUsedAt: null });
    expect(JSON.parse(row.transports)).toEqual(["usb"]);
    expect(Buffer.from(row.publicKey, "base64url").length).toBeGreaterThan(64);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "security_key.registered", resourceId: created.id } });
    expect(audit).toMatchObject({ organizationId: acme.orgId, actorId: alice.userId, resourceLabel: "Desk key", sessionId: `pub-${alice.sessionId}`, ip: testRequest.ip });
    expect(audit.metadata).not.toContain(row.publicKey);

    // The next ceremony excludes it, and the used challenge cannot be answered again.
    expect((await alice.start()).excludeCredentials?.map((c) => c.id)).toContain(key.id);
    await expect(alice.finish(key.register(options))).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("refuses a credential that is already registered", async () => {
    const alice = userOf("alice@acme.test");
    const bob = userOf("bob@acme.test");
    const key = new SoftwareAuthenticator(rp);
    await alice.finish(key.register(await alice.start()));
    await expect(alice.finish(key.register(await alice.start()))).rejects.toMatchObject({ code: "conflict" });
    await expect(bob.finish(key.register(await bob.start()))).rejects.toMatchObject({ code: "conflict" });
    expect(await t.db.securityKey.count({ where: { credentialId: key.id } })).toBe(1);
  });

  it("refuses malformed responses and unstorable counters without a server error", async () => {
    const bob = userOf("bob@acme.test");
    for (const response of [JSON.parse("{}"), JSON.parse('{"id":"x","rawId":"x","type":"public-key","response":null}'), JSON.parse("null")]) {
      await bob.start();
      await expect(bob.finish(response)).rejects.toMatchObject({ name: "AppError", code: "validation_failed" });
    }
    const key = new SoftwareAuthenticator(rp);
    await expect(bob.finish(key.register(await bob.start(), { counter: 2 ** 31 }))).rejects.toMatchObject({ code: "validation_failed" });
    expect(await t.db.securityKey.count({ where: { userId: bob.userId } })).toBe(0);
  });

  it("requires a name of 1 to 60 characters", async () => {
    const alice = userOf("alice@acme.test");
    const key = new SoftwareAuthenticator(rp);
    await expect(alice.finish(key.register(await alice.start()), "   ")).rejects.toMatchObject({
      code: "validation_failed",
      details: { fieldErrors: { name: [expect.any(String)] } },
    });
    await expect(alice.finish(key.register(await alice.start()), "x".repeat(61))).rejects.toMatchObject({ code: "validation_failed" });
    expect(await t.db.securityKey.count({ where: { credentialId: key.id } })).toBe(0);
    expect((await alice.finish(key.register(await alice.start()), "x".repeat(60))).name).toHaveLength(60);
  });
});
