import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { totpAt } from "@/lib/totp";
import type { Actor } from "@/lib/server/audit/actor";

/**
 * Master-key rotation must not break 2FA (or webhook signing): enrol TOTP and
 * recovery codes and create a webhook endpoint under the old key; start with
 * the new key and the old one as GATEHOUSE_MASTER_KEY_PREVIOUS (codes still
 * verify); run the reseal half of `vault rewrap` (resumable, audited); drop the
 * previous key: codes still verify and the webhook secret still opens. The
 * configuration is read once per module instance, so each phase sets the
 * environment and loads fresh modules (the real ones, nothing replaced).
 */

const OLD = process.env.GATEHOUSE_MASTER_KEY!;
const NEW = Buffer.alloc(32, 77).toString("base64");
const EMAIL = "rotate@acme.test";

let t: TestDb;
let org: Awaited<ReturnType<typeof seedOrg>>;

async function phase(env: { master: string; previous?: string }) {
  process.env.GATEHOUSE_MASTER_KEY = env.master;
  if (env.previous) process.env.GATEHOUSE_MASTER_KEY_PREVIOUS = env.previous;
  else delete process.env.GATEHOUSE_MASTER_KEY_PREVIOUS;
  process.env.WEBHOOKS_ALLOW_HTTP = "true";
  vi.resetModules();
  return {
    begin: (await import("@/lib/server/two-factor/begin-totp-setup")).beginTotpSetup,
    confirm: (await import("@/lib/server/two-factor/confirm-totp-setup")).confirmTotpSetup,
    verifyTotp: (await import("@/lib/server/two-factor/verify-user-totp")).verifyUserTotp,
    consumeRecoveryCode: (await import("@/lib/server/two-factor/recovery-codes")).consumeRecoveryCode,
    createWebhookEndpoint: (await import("@/lib/server/webhooks/create-webhook-endpoint")).createWebhookEndpoint,
    signingSecrets: (await import("@/lib/server/webhooks/endpoint-secret")).signingSecrets,
    reseal: (await import("./reseal-master-key-rows")).resealMasterKeyRows,
  };
}

/** A moment at least 5 s away from a TOTP step boundary, so steps do not move under a scenario. */
async function awayFromBoundary(): Promise<number> {
  const into = (Date.now() / 1000) % 30;
  if (into > 24) await new Promise((r) => setTimeout(r, (30 - into + 0.5) * 1000));
  return Date.now() / 1000;
}

beforeAll(async () => {
  t = await createTestDb();
  org = await seedOrg(t.db, "Acme", [{ email: EMAIL, role: "owner" }]);
});
afterAll(async () => {
  process.env.GATEHOUSE_MASTER_KEY = OLD;
  delete process.env.GATEHOUSE_MASTER_KEY_PREVIOUS;
  await t?.cleanup();
});

describe("master-key rotation and 2FA", { timeout: 120_000 }, () => {
  it("TOTP, recovery codes and webhook secrets survive: new key with previous, reseal, previous dropped", async () => {
    const userId = org.users[EMAIL].userId;
    const user = { userId, email: EMAIL };
    const actor: Actor = { kind: "user", userId, email: EMAIL, sessionId: null, request: testRequest };
    const operator = { kind: "system", label: "vault rewrap" } as unknown as Actor;

    // 1. Under the old key: enrol the authenticator app (recovery codes come with it) and a webhook endpoint.
    const old = await phase({ master: OLD });
    let now = await awayFromBoundary();
    const { secret } = await old.begin(t.db, user);
    const { recoveryCodes } = await old.confirm(t.db, { userId, code: await totpAt(secret, now - 30), actor: { ...user, sessionId: null, sessionPublicId: null, request: testRequest }, organizationId: org.orgId });
    const codes = recoveryCodes!;
    const { endpoint, secret: whsec } = await old.createWebhookEndpoint(t.db, { orgId: org.orgId, actor, input: { url: "http://hooks.example.test/in" } });
    const endpointRow = async () => (await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } }));

    const endpointRowSync = await endpointRow();
    // 2. The new key alone (the previous one forgotten): nothing sealed under the old key opens. (The test can fail.)
    const forgotten = await phase({ master: NEW });
    await expect(forgotten.verifyTotp(t.db, userId, await totpAt(secret, now))).rejects.toThrow(/does not open/);
    expect(await forgotten.consumeRecoveryCode(t.db, userId, codes[9])).toBe(false);
    expect(() => forgotten.signingSecrets(endpointRowSync)).toThrow();

    // 3. Rotation: the new key with the old as previous. Sign-in verification works before any reseal.
    const rotating = await phase({ master: NEW, previous: OLD });
    now = await awayFromBoundary();
    expect(await rotating.verifyTotp(t.db, userId, await totpAt(secret, now))).toBe(true);
    expect(await rotating.consumeRecoveryCode(t.db, userId, codes[0])).toBe(true);
    expect(await rotating.consumeRecoveryCode(t.db, userId, codes[0])).toBe(false);
    expect(rotating.signingSecrets(await endpointRow())).toEqual([whsec]);

    // 4. The reseal, cut short after 2 rows, then resumed; a third run has nothing left.
    const keys = { current: Buffer.from(NEW, "base64"), previous: [Buffer.from(OLD, "base64")], actor: operator, batchSize: 1 };
    const first = await rotating.reseal(t.db, { ...keys, maxRows: 2 });
    expect(first.checked).toBe(2);
    const progress: number[] = [];
    const rest = await rotating.reseal(t.db, { ...keys, onProgress: (p) => progress.push(p.checked) });
    expect(rest.failed).toEqual([]);
    // 1 TOTP credential + 9 unused recovery codes + 1 webhook endpoint.
    expect(rest.total).toBe(11);
    expect(first.resealed + rest.resealed).toBe(11);
    expect(progress.at(-1)).toBe(11);
    expect((await rotating.reseal(t.db, keys)).resealed).toBe(0);
    const audit = await t.db.auditEvent.findMany({ where: { action: "master_key.resealed" } });
    expect(audit.map((a) => JSON.parse(a.metadata).kind).sort()).toEqual(expect.arrayContaining(["recovery_code", "totp_secret", "webhook_secret"]));
    expect(audit.find((a) => JSON.parse(a.metadata).kind === "webhook_secret")?.organizationId).toBe(org.orgId);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(whsec);

    // 5. The previous key dropped: TOTP (a later step), the remaining recovery codes and the webhook secret all still work.
    const after = await phase({ master: NEW });
    now = await awayFromBoundary();
    expect(await after.verifyTotp(t.db, userId, await totpAt(secret, now + 30))).toBe(true);
    expect(await after.consumeRecoveryCode(t.db, userId, codes[1])).toBe(true);
    expect(await after.consumeRecoveryCode(t.db, userId, codes[1])).toBe(false);
    expect(await after.consumeRecoveryCode(t.db, userId, "00000-00000")).toBe(false);
    expect(after.signingSecrets(await endpointRow())).toEqual([whsec]);

    // 6. And a second rotation carries the carried recovery codes on again.
    const THIRD = Buffer.alloc(32, 99).toString("base64");
    const again = await phase({ master: THIRD, previous: NEW });
    await again.reseal(t.db, { current: Buffer.from(THIRD, "base64"), previous: [Buffer.from(NEW, "base64")], actor: operator });
    const third = await phase({ master: THIRD });
    expect(await third.consumeRecoveryCode(t.db, userId, codes[2])).toBe(true);
    // The steps of this minute are spent; forget them (raw SQL) rather than wait for the next one.
    await t.sql(`UPDATE "TotpCredential" SET "lastUsedStep" = NULL WHERE "userId" = ?`, userId);
    now = await awayFromBoundary();
    expect(await third.verifyTotp(t.db, userId, await totpAt(secret, now))).toBe(true);
  });
});
