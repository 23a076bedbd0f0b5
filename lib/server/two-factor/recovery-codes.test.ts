import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb } from "@/lib/server/db/client";
import { newId, sha256Hex } from "@/lib/server/crypto";
import { totpAt } from "@/lib/totp";
import { beginTotpSetup } from "./begin-totp-setup";
import { confirmTotpSetup } from "./confirm-totp-setup";
import { consumeRecoveryCode, countRemainingRecoveryCodes, normalizeRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeHash } from "./recovery-codes";
import { regenerateRecoveryCodes } from "./regenerate-recovery-codes";
import { getTwoFactorStatus } from "./get-two-factor-status";

let t: TestDb;
let org: Awaited<ReturnType<typeof seedOrg>>;
const EMAILS = ["keyed@acme.test", "legacy@acme.test", "single@acme.test", "race@acme.test", "regen@acme.test", "nofactor@acme.test", "keyonly@acme.test", "other@acme.test"];

beforeAll(async () => {
  t = await createTestDb();
  org = await seedOrg(t.db, "Acme", EMAILS.map((email) => ({ email, role: "member" as const })));
});
afterAll(() => t.cleanup());

const idOf = (email: string) => org.users[email].userId;
const actorFor = (email: string) => ({ userId: idOf(email), email, sessionId: null, sessionPublicId: null, request: testRequest });

/** Enable TOTP for the user and return the recovery codes handed out with it. */
async function enableTotp(email: string): Promise<string[]> {
  const into = (Date.now() / 1000) % 30;
  if (into > 26) await new Promise((r) => setTimeout(r, (30 - into + 0.2) * 1000));
  const { secret } = await beginTotpSetup(t.db, { userId: idOf(email), email });
  const code = await totpAt(secret, Date.now() / 1000);
  const { recoveryCodes } = await confirmTotpSetup(t.db, { userId: idOf(email), code, actor: actorFor(email), organizationId: org.orgId });
  if (!recoveryCodes) throw new Error("expected a first set of recovery codes");
  return recoveryCodes;
}

async function addSecurityKey(userId: string) {
  await t.db.securityKey.create({
    data: { id: newId(), userId, name: "YubiKey", credentialId: newId(), publicKey: "pk", counter: 0, transports: "usb", deviceType: "singleDevice", backedUp: false },
  });
}

describe("normalizeRecoveryCode", () => {
  it("accepts any case, no dash, spaces and look-alike letters; refuses anything else", () => {
    expect(normalizeRecoveryCode("  ABCDE-FGH23 ")).toBe("abcde-fgh23");
    expect(normalizeRecoveryCode("abcdefgh23")).toBe("abcde-fgh23");
    expect(normalizeRecoveryCode("abcde fgh23")).toBe("abcde-fgh23");
    expect(normalizeRecoveryCode("Oabcd-Ilxyz")).toBe("0abcd-11xyz");
    for (const bad of ["", "abcd-efgh", "abcde-fgh234", "abcde-fghu3", "abcde_fgh23", "abcde-fgh2!"]) expect(normalizeRecoveryCode(bad)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("are single use, accepted in any typed form, and only for their owner", async () => {
    const codes = await enableTotp("single@acme.test");
    const userId = idOf("single@acme.test");
    expect(await consumeRecoveryCode(t.db, idOf("other@acme.test"), codes[0])).toBe(false);
    expect(await consumeRecoveryCode(t.db, userId, codes[0].toUpperCase().replace("-", ""))).toBe(true);
    expect(await consumeRecoveryCode(t.db, userId, codes[0])).toBe(false);
    expect(await consumeRecoveryCode(t.db, userId, "zzzzz-zzzzz")).toBe(false);
    expect(await consumeRecoveryCode(t.db, userId, "garbage")).toBe(false);
    expect(await countRemainingRecoveryCodes(t.db, userId)).toBe(RECOVERY_CODE_COUNT - 1);
    expect((await getTwoFactorStatus(t.db, userId)).recoveryCodesRemaining).toBe(RECOVERY_CODE_COUNT - 1);
    const used = await t.db.recoveryCode.findUniqueOrThrow({ where: { userId_codeHash: { userId, codeHash: recoveryCodeHash(userId, codes[0]) } } });
    expect(used.usedAt).toBeInstanceOf(Date);
  });

  it("are stored as keyed hashes: a dump without the master key cannot be checked against guesses", async () => {
    const codes = await enableTotp("keyed@acme.test");
    const userId = idOf("keyed@acme.test");
    const rows = await t.db.recoveryCode.findMany({ where: { userId } });
    const stored = new Set(rows.map((r) => r.codeHash));
    for (const code of codes) {
      // The old, crackable form (unsalted SHA-256 of the code) is nowhere in the table.
      expect(stored.has(sha256Hex(code))).toBe(false);
      expect(stored.has(recoveryCodeHash(userId, code))).toBe(true);
    }
    // Bound to the user: the same code hashes differently for someone else.
    expect(recoveryCodeHash(idOf("other@acme.test"), codes[0])).not.toBe(recoveryCodeHash(userId, codes[0]));
  });

  it("still accept a code stored before keyed hashes, once", async () => {
    const userId = idOf("legacy@acme.test");
    await t.db.recoveryCode.create({ data: { id: newId(), userId, codeHash: sha256Hex("abcde-fgh23") } });
    expect(await consumeRecoveryCode(t.db, userId, "ABCDE-FGH23")).toBe(true);
    expect(await consumeRecoveryCode(t.db, userId, "abcde-fgh23")).toBe(false);
  });

  it("let exactly one of several concurrent consumers of the same code win", async () => {
    const codes = await enableTotp("race@acme.test");
    const userId = idOf("race@acme.test");
    const other = createDb(t.url);
    try {
      const results = await Promise.all([
        consumeRecoveryCode(t.db, userId, codes[1]),
        consumeRecoveryCode(t.db, userId, codes[1]),
        consumeRecoveryCode(other, userId, codes[1]),
        consumeRecoveryCode(other, userId, codes[1].replace("-", "")),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await other.$disconnect();
    }
    expect(await countRemainingRecoveryCodes(t.db, userId)).toBe(RECOVERY_CODE_COUNT - 1);
  });

  it("regenerating invalidates the whole old set, used or not, and is audited", async () => {
    const old = await enableTotp("regen@acme.test");
    const userId = idOf("regen@acme.test");
    expect(await consumeRecoveryCode(t.db, userId, old[0])).toBe(true);

    const fresh = await regenerateRecoveryCodes(t.db, { userId, actor: actorFor("regen@acme.test"), organizationId: org.orgId });
    expect(fresh).toHaveLength(RECOVERY_CODE_COUNT);
    expect(fresh.filter((c) => old.includes(c))).toEqual([]);
    expect(await countRemainingRecoveryCodes(t.db, userId)).toBe(RECOVERY_CODE_COUNT);
    expect(await t.db.recoveryCode.count({ where: { userId } })).toBe(RECOVERY_CODE_COUNT);
    for (const c of old) expect(await consumeRecoveryCode(t.db, userId, c)).toBe(false);
    expect(await consumeRecoveryCode(t.db, userId, fresh[3])).toBe(true);

    const events = await t.db.auditEvent.findMany({ where: { action: "two_factor.recovery_codes_regenerated", actorId: userId } });
    expect(events).toHaveLength(1);
    expect(events[0].organizationId).toBe(org.orgId);
    for (const c of fresh) expect(events[0].metadata).not.toContain(c);
  });

  it("regeneration is refused without a second factor, and allowed with a security key alone", async () => {
    const none = idOf("nofactor@acme.test");
    await expect(regenerateRecoveryCodes(t.db, { userId: none, actor: actorFor("nofactor@acme.test"), organizationId: null })).rejects.toMatchObject({
      code: "conflict",
    });
    // A pending, unconfirmed TOTP setup is not a second factor either.
    await beginTotpSetup(t.db, { userId: none, email: "nofactor@acme.test" });
    await expect(regenerateRecoveryCodes(t.db, { userId: none, actor: actorFor("nofactor@acme.test"), organizationId: null })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(await t.db.recoveryCode.count({ where: { userId: none } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { action: "two_factor.recovery_codes_regenerated", actorId: none } })).toBe(0);

    const keyOnly = idOf("keyonly@acme.test");
    await addSecurityKey(keyOnly);
    const codes = await regenerateRecoveryCodes(t.db, { userId: keyOnly, actor: actorFor("keyonly@acme.test"), organizationId: null });
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);

    // Enabling TOTP later keeps the existing set instead of replacing it behind the user's back.
    const into = (Date.now() / 1000) % 30;
    if (into > 26) await new Promise((r) => setTimeout(r, (30 - into + 0.2) * 1000));
    const { secret } = await beginTotpSetup(t.db, { userId: keyOnly, email: "keyonly@acme.test" });
    const result = await confirmTotpSetup(t.db, {
      userId: keyOnly,
      code: await totpAt(secret, Date.now() / 1000),
      actor: actorFor("keyonly@acme.test"),
      organizationId: null,
    });
    expect(result.recoveryCodes).toBeNull();
    expect(await consumeRecoveryCode(t.db, keyOnly, codes[0])).toBe(true);
    const enabled = await t.db.auditEvent.findFirstOrThrow({ where: { action: "two_factor.totp_enabled", actorId: keyOnly } });
    expect(JSON.parse(enabled.metadata)).toEqual({ codes_generated: false });
  });
});
