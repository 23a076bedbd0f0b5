import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { newId } from "@/lib/server/crypto";
import { totpAt } from "@/lib/totp";
import { beginTotpSetup } from "./begin-totp-setup";
import { confirmTotpSetup } from "./confirm-totp-setup";
import { disableTotp } from "./disable-totp";
import { verifyUserTotp } from "./verify-user-totp";
import { getTwoFactorStatus } from "./get-two-factor-status";
import { RECOVERY_CODE_COUNT } from "./recovery-codes";

let t: TestDb;
let org: Awaited<ReturnType<typeof seedOrg>>;
const EMAILS = ["ada@acme.test", "bob@acme.test", "keys@acme.test", "off@acme.test"];

beforeAll(async () => {
  t = await createTestDb();
  org = await seedOrg(t.db, "Acme", EMAILS.map((email) => ({ email, role: "member" as const })));
});
afterAll(() => t.cleanup());

const idOf = (email: string) => org.users[email].userId;

async function enableTotp(email: string) {
  const into = (Date.now() / 1000) % 30;
  if (into > 26) await new Promise((r) => setTimeout(r, (30 - into + 0.2) * 1000));
  const now = Date.now() / 1000;
  const { secret } = await beginTotpSetup(t.db, { userId: idOf(email), email });
  const actor = { userId: idOf(email), email, sessionId: null, sessionPublicId: null, request: testRequest };
  await confirmTotpSetup(t.db, { userId: idOf(email), code: await totpAt(secret, now - 30), actor, organizationId: org.orgId });
  return { secret, now };
}

async function createSession(userId: string, trustState: "trusted" | "untrusted" = "trusted") {
  const id = newId();
  const inAnHour = new Date(Date.now() + 3_600_000);
  await t.db.session.create({
    data: { id, publicId: `pub-${id}`, userId, activeOrgId: org.orgId, expiresAt: inAnHour, idleExpiresAt: inAnHour, deviceLabel: "Chrome on Linux", trustState, trustReason: "test" },
  });
  return id;
}

describe("disableTotp", () => {
  it("removes TOTP and recovery codes, untrusts the user's other sessions and keeps the current one", async () => {
    const userId = idOf("ada@acme.test");
    const { secret, now } = await enableTotp("ada@acme.test");
    const current = await createSession(userId);
    const otherA = await createSession(userId);
    const otherB = await createSession(userId);
    const bystander = await createSession(idOf("bob@acme.test"));
    const grant = await t.db.sudoGrant.create({
      data: { id: newId(), sessionId: otherA, userId, factor: "password", expiresAt: new Date(Date.now() + 600_000) },
    });

    await disableTotp(t.db, {
      userId,
      actor: { userId, email: "ada@acme.test", sessionId: current, sessionPublicId: `pub-${current}`, request: testRequest },
      organizationId: org.orgId,
      currentSessionId: current,
    });

    expect(await t.db.totpCredential.count({ where: { userId } })).toBe(0);
    expect(await t.db.recoveryCode.count({ where: { userId } })).toBe(0);
    expect(await getTwoFactorStatus(t.db, userId)).toEqual({
      totpEnabled: false,
      totpEnabledAt: null,
      securityKeys: 0,
      recoveryCodesRemaining: 0,
      hasSecondFactor: false,
    });
    expect(await verifyUserTotp(t.db, userId, await totpAt(secret, now))).toBe(false);

    const trust = async (id: string) => (await t.db.session.findUniqueOrThrow({ where: { id } })).trustState;
    expect(await trust(current)).toBe("trusted");
    expect(await trust(otherA)).toBe("untrusted");
    expect(await trust(otherB)).toBe("untrusted");
    expect(await trust(bystander)).toBe("trusted");
    // Its sudo window closes with its trust.
    expect((await t.db.sudoGrant.findUniqueOrThrow({ where: { id: grant.id } })).endedAt).toBeInstanceOf(Date);

    const events = await t.db.auditEvent.findMany({ where: { action: "two_factor.totp_disabled", actorId: userId } });
    expect(events).toHaveLength(1);
    expect(events[0].sessionId).toBe(`pub-${current}`);
    expect(JSON.parse(events[0].metadata)).toEqual({ codes_removed: RECOVERY_CODE_COUNT, sessions_untrusted: 2, has_second_factor: false });
    expect(await t.db.auditEvent.count({ where: { action: "session.untrusted", sessionId: { in: [`pub-${otherA}`, `pub-${otherB}`] } } })).toBe(2);
  });

  it("keeps recovery codes while a security key remains", async () => {
    const userId = idOf("keys@acme.test");
    await enableTotp("keys@acme.test");
    await t.db.securityKey.create({
      data: { id: newId(), userId, name: "YubiKey", credentialId: newId(), publicKey: "pk", counter: 0, transports: "usb", deviceType: "singleDevice", backedUp: false },
    });
    await disableTotp(t.db, { userId, actor: { userId, email: "keys@acme.test", sessionId: null, sessionPublicId: null, request: testRequest }, organizationId: null, currentSessionId: null });
    expect(await getTwoFactorStatus(t.db, userId)).toMatchObject({ totpEnabled: false, securityKeys: 1, recoveryCodesRemaining: RECOVERY_CODE_COUNT, hasSecondFactor: true });
  });

  it("refuses when TOTP is not on (including a pending setup) and changes nothing", async () => {
    const userId = idOf("off@acme.test");
    const actor = { userId, email: "off@acme.test", sessionId: null, sessionPublicId: null, request: testRequest };
    const session = await createSession(userId);
    await expect(disableTotp(t.db, { userId, actor, organizationId: null, currentSessionId: null })).rejects.toMatchObject({ code: "conflict" });
    await beginTotpSetup(t.db, { userId, email: "off@acme.test" });
    await expect(disableTotp(t.db, { userId, actor, organizationId: null, currentSessionId: null })).rejects.toMatchObject({ code: "conflict" });
    expect((await t.db.session.findUniqueOrThrow({ where: { id: session } })).trustState).toBe("trusted");
    expect(await t.db.auditEvent.count({ where: { action: "two_factor.totp_disabled", actorId: userId } })).toBe(0);
  });
});
