import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { SoftwareAuthenticator } from "@/test/software-authenticator";
import { registerSoftwareKey } from "@/test/register-software-key";
import { startSecurityKeyAuthentication } from "@/lib/server/webauthn/authenticate-security-key";
import { verifyFactorForSession } from "./verify-factor";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "alice@acme.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

describe("verifyFactorForSession with security keys", () => {
  it("does not let a key vouch for its own removal, but accepts another key", async () => {
    const alice = { userId: acme.users["alice@acme.test"].userId, email: "alice@acme.test", sessionId: "s-alice" };
    const ctx = { user: { id: alice.userId, email: alice.email }, session: { id: alice.sessionId, publicId: `pub-${alice.sessionId}` }, org: { id: acme.orgId } };
    const old = await registerSoftwareKey(t.db, { ...alice, name: "Old key", organizationId: acme.orgId });
    const fresh = await registerSoftwareKey(t.db, { ...alice, name: "New key", organizationId: acme.orgId });
    const proveWith = async (key: SoftwareAuthenticator) =>
      verifyFactorForSession(t.db, ctx, testRequest, { kind: "security_key", response: key.assert(await startSecurityKeyAuthentication(t.db, alice)) }, {
        allowed: ["totp", "security_key"],
        purpose: "remove_security_key",
        excludeSecurityKeyId: old.stored.id,
      });

    await expect(proveWith(old.key)).rejects.toMatchObject({ code: "invalid_factor" });
    await expect(proveWith(fresh.key)).resolves.toBe("security_key");
  });
});
