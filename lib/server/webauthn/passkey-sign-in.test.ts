import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { SoftwareAuthenticator } from "@/test/software-authenticator";
import { registerSoftwareKey, TEST_RP } from "@/test/register-software-key";
import { startPasskeySignIn, verifyPasskeySignIn } from "./passkey-sign-in";

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

const rp = TEST_RP;
const refused = { name: "AppError", code: "unauthenticated", message: "That security key could not be verified." };

async function registerKey(email: string) {
  const userId = acme.users[email].userId;
  const registered = await registerSoftwareKey(t.db, { userId, email, sessionId: `session-of-${email}`, name: `${email} passkey`, organizationId: acme.orgId });
  return { ...registered, userId };
}

describe("passkey sign-in", () => {
  it("signs in the owner of a discoverable credential", async () => {
    const { key, stored, userId } = await registerKey("alice@acme.test");
    const { challengeId, options } = await startPasskeySignIn(t.db);
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe("preferred");
    expect(await t.db.webAuthnChallenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({ purpose: "sign_in", userId: null, sessionId: null });

    const response = key.assert(options);
    expect(await verifyPasskeySignIn(t.db, { challengeId, response })).toEqual({ userId, keyId: stored.id, keyName: "alice@acme.test passkey" });
    expect((await t.db.securityKey.findUniqueOrThrow({ where: { id: stored.id } })).counter).toBe(1);
    // The same answer cannot be replayed.
    await expect(verifyPasskeySignIn(t.db, { challengeId, response })).rejects.toMatchObject(refused);
  });

  it("refuses every failure with the same answer", async () => {
    const { key } = await registerKey("bob@acme.test");
    const stranger = new SoftwareAuthenticator(rp);
    const alice = await t.db.securityKey.findFirstOrThrow({ where: { userId: acme.users["alice@acme.test"].userId } });

    let s = await startPasskeySignIn(t.db);
    await expect(verifyPasskeySignIn(t.db, { challengeId: "unknown", response: key.assert(s.options) })).rejects.toMatchObject(refused);

    s = await startPasskeySignIn(t.db);
    await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: stranger.assert(s.options, { userHandle: null }) })).rejects.toMatchObject(refused);

    s = await startPasskeySignIn(t.db);
    await t.db.webAuthnChallenge.update({ where: { id: s.challengeId }, data: { expiresAt: new Date(Date.now() - 1) } });
    await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: key.assert(s.options) })).rejects.toMatchObject(refused);

    // Possession alone is not enough to sign in without a password.
    s = await startPasskeySignIn(t.db);
    await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: key.assert(s.options, { userVerified: false }) })).rejects.toMatchObject(refused);

    // The authenticator must name the key's owner.
    s = await startPasskeySignIn(t.db);
    const claimsAlice = key.assert(s.options, { userHandle: Buffer.from(alice.userId).toString("base64url") });
    await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: claimsAlice })).rejects.toMatchObject(refused);
    s = await startPasskeySignIn(t.db);
    await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: key.assert(s.options, { userHandle: null }) })).rejects.toMatchObject(refused);

    // A cloned key (counter not advancing) is refused.
    s = await startPasskeySignIn(t.db);
    await verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: key.assert(s.options, { counter: 7 }) });
    s = await startPasskeySignIn(t.db);
    await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: key.assert(s.options, { counter: 7 }) })).rejects.toMatchObject(refused);

    for (const malformed of [JSON.parse("null"), JSON.parse("{}"), JSON.parse(`{"id":"${key.id}","rawId":"${key.id}","type":"public-key"}`)]) {
      s = await startPasskeySignIn(t.db);
      await expect(verifyPasskeySignIn(t.db, { challengeId: s.challengeId, response: malformed })).rejects.toMatchObject(refused);
    }

    // A response signed for one sign-in challenge cannot answer another.
    const a = await startPasskeySignIn(t.db);
    const b = await startPasskeySignIn(t.db);
    await expect(verifyPasskeySignIn(t.db, { challengeId: b.challengeId, response: key.assert(a.options) })).rejects.toMatchObject(refused);
  });
});
