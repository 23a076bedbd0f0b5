import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb, type Db } from "@/lib/server/db/client";
import { sha256Hex } from "@/lib/server/crypto";
import { totpAt } from "@/lib/totp";
import { beginTotpSetup } from "./begin-totp-setup";
import { confirmTotpSetup } from "./confirm-totp-setup";
import { verifyUserTotp } from "./verify-user-totp";
import { unsealTotpSecret, sealTotpSecret } from "./totp-secret-box";
import { RECOVERY_CODE_COUNT, recoveryCodeHash } from "./recovery-codes";
import { getTwoFactorStatus } from "./get-two-factor-status";

let t: TestDb;
let org: Awaited<ReturnType<typeof seedOrg>>;
const EMAILS = ["enrol@acme.test", "wrong@acme.test", "replay@acme.test", "race@acme.test", "race2@acme.test", "box@acme.test", "box2@acme.test", "restart@acme.test"];

beforeAll(async () => {
  t = await createTestDb();
  org = await seedOrg(t.db, "Acme", EMAILS.map((email) => ({ email, role: "member" as const })));
});
afterAll(() => t.cleanup());

const user = (email: string) => ({ userId: org.users[email].userId, email });
const actorFor = (email: string) => ({ ...user(email), sessionId: null, sessionPublicId: null, request: testRequest });

/**
 * Codes are checked against the real clock (±1 step). Start each scenario at
 * least a few seconds before a step boundary so "the current step" cannot move
 * under it.
 */
async function nowAwayFromStepBoundary(): Promise<number> {
  const into = (Date.now() / 1000) % 30;
  if (into > 26) await new Promise((r) => setTimeout(r, (30 - into + 0.2) * 1000));
  return Date.now() / 1000;
}

/** Enable TOTP with the previous step's code, leaving the current and next steps unspent. */
async function enableTotp(email: string, db: Db = t.db) {
  const now = await nowAwayFromStepBoundary();
  const { secret } = await beginTotpSetup(db, user(email));
  await confirmTotpSetup(db, { userId: user(email).userId, code: await totpAt(secret, now - 30), actor: actorFor(email), organizationId: org.orgId });
  return { secret, now };
}

describe("TOTP enrolment", () => {
  it("enables only after a correct code, and returns the first recovery codes once, stored as hashes", async () => {
    const { userId } = user("enrol@acme.test");
    const setup = await beginTotpSetup(t.db, user("enrol@acme.test"));
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.uri).toBe(
      `otpauth://totp/Gatehouse:enrol%40acme.test?secret=${setup.secret}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30`,
    );
    expect(setup.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(Buffer.from(setup.qrDataUrl.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString()).toBe(setup.qrSvg);
    expect((await getTwoFactorStatus(t.db, userId)).totpEnabled).toBe(false);

    const now = await nowAwayFromStepBoundary();
    const code = await totpAt(setup.secret, now);
    const { recoveryCodes } = await confirmTotpSetup(t.db, { userId, code, actor: actorFor("enrol@acme.test"), organizationId: org.orgId });

    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of recoveryCodes ?? []) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    const rows = await t.db.recoveryCode.findMany({ where: { userId } });
    expect(rows.map((r) => r.codeHash).sort()).toEqual((recoveryCodes ?? []).map((code) => recoveryCodeHash(userId, code)).sort());
    for (const c of recoveryCodes ?? []) expect(JSON.stringify(rows)).not.toContain(c);

    const status = await getTwoFactorStatus(t.db, userId);
    expect(status).toMatchObject({ totpEnabled: true, securityKeys: 0, recoveryCodesRemaining: RECOVERY_CODE_COUNT, hasSecondFactor: true });
    expect(status.totpEnabledAt).toBeInstanceOf(Date);

    const events = await t.db.auditEvent.findMany({ where: { action: "two_factor.totp_enabled", actorId: userId } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].metadata)).toEqual({ codes_generated: true });
    expect(events[0].organizationId).toBe(org.orgId);

    // The setup code's step is spent: it cannot be replayed as a sign-in code.
    expect(await verifyUserTotp(t.db, userId, code)).toBe(false);
    // Enrolling again while enabled is refused rather than silently replacing the secret.
    await expect(beginTotpSetup(t.db, user("enrol@acme.test"))).rejects.toMatchObject({ code: "conflict" });
    await expect(confirmTotpSetup(t.db, { userId, code, actor: actorFor("enrol@acme.test"), organizationId: null })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("refuses a wrong code with a field error and enables nothing", async () => {
    const { userId } = user("wrong@acme.test");
    const setup = await beginTotpSetup(t.db, user("wrong@acme.test"));
    const now = await nowAwayFromStepBoundary();
    const right = await totpAt(setup.secret, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    for (const code of [wrong, "abcdef", ""]) {
      await expect(confirmTotpSetup(t.db, { userId, code, actor: actorFor("wrong@acme.test"), organizationId: org.orgId })).rejects.toMatchObject({
        code: "validation_failed",
        details: { fieldErrors: { code: [expect.any(String)] } },
      });
    }
    const row = await t.db.totpCredential.findUniqueOrThrow({ where: { userId } });
    expect(row.enabledAt).toBeNull();
    expect(row.lastUsedStep).toBeNull();
    expect(await t.db.recoveryCode.count({ where: { userId } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: "two_factor.totp_enabled", actorId: userId } })).toBe(0);
    // A pending credential is not a second factor.
    expect(await verifyUserTotp(t.db, userId, right)).toBe(false);
  });

  it("restarting setup replaces the pending secret", async () => {
    const { userId } = user("restart@acme.test");
    const first = await beginTotpSetup(t.db, user("restart@acme.test"));
    const second = await beginTotpSetup(t.db, user("restart@acme.test"));
    expect(second.secret).not.toBe(first.secret);
    expect(await t.db.totpCredential.count({ where: { userId } })).toBe(1);
    const now = await nowAwayFromStepBoundary();
    const stale = await totpAt(first.secret, now);
    const fresh = await totpAt(second.secret, now);
    if (stale !== fresh) {
      await expect(confirmTotpSetup(t.db, { userId, code: stale, actor: actorFor("restart@acme.test"), organizationId: null })).rejects.toMatchObject({
        code: "validation_failed",
      });
    }
    await confirmTotpSetup(t.db, { userId, code: fresh, actor: actorFor("restart@acme.test"), organizationId: null });
    expect((await getTwoFactorStatus(t.db, userId)).totpEnabled).toBe(true);
  });
});

describe("verifyUserTotp", () => {
  it("accepts a fresh code once and refuses its replay", async () => {
    const { userId } = user("replay@acme.test");
    const { secret, now } = await enableTotp("replay@acme.test");
    const code = await totpAt(secret, now);
    expect(await verifyUserTotp(t.db, userId, code)).toBe(true);
    expect(await verifyUserTotp(t.db, userId, code)).toBe(false);
    // An older step than the last one used is refused too, even though it is inside the window.
    expect(await verifyUserTotp(t.db, userId, await totpAt(secret, now - 30))).toBe(false);
    // The next step is still available.
    expect(await verifyUserTotp(t.db, userId, await totpAt(secret, now + 30))).toBe(true);
    expect(await verifyUserTotp(t.db, userId, "not a code")).toBe(false);
  });

  it("lets exactly one of two concurrent uses of the same code win", async () => {
    const { userId } = user("race@acme.test");
    const { secret, now } = await enableTotp("race@acme.test");
    const code = await totpAt(secret, now);
    const results = await Promise.all([verifyUserTotp(t.db, userId, code), verifyUserTotp(t.db, userId, code)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("lets exactly one win when the two uses come through separate connections (two app instances)", async () => {
    const { userId } = user("race2@acme.test");
    const { secret, now } = await enableTotp("race2@acme.test");
    const other = createDb(t.url);
    try {
      const code = await totpAt(secret, now);
      const results = await Promise.all([verifyUserTotp(t.db, userId, code), verifyUserTotp(other, userId, code), verifyUserTotp(other, userId, code)]);
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.$disconnect();
    }
  });
});

describe("TOTP secret at rest", () => {
  it("is stored encrypted and bound to its credential row", async () => {
    const { userId } = user("box@acme.test");
    const { secret } = await beginTotpSetup(t.db, user("box@acme.test"));
    const row = await t.db.totpCredential.findUniqueOrThrow({ where: { userId } });
    expect(row.secretCiphertext).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(unsealTotpSecret(row.id, row.secretCiphertext)).toBe(secret);

    // Copied onto another credential (or read with another row's id), it does not decrypt.
    await beginTotpSetup(t.db, user("box2@acme.test"));
    const other = await t.db.totpCredential.findUniqueOrThrow({ where: { userId: user("box2@acme.test").userId } });
    expect(() => unsealTotpSecret(other.id, row.secretCiphertext)).toThrow();
    expect(() => unsealTotpSecret(row.id, sealTotpSecret(other.id, secret))).toThrow();
  });
});
