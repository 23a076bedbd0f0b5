import "server-only";
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/server/db/client";
import { newId, sha256Hex } from "@/lib/server/crypto";
import { keyFor, keysFor, sealWith, unseal, unsealWith } from "@/lib/server/sealed-box";
import { deriveKey } from "@/lib/crypto/derive-key";
import { recoveryCodeHashWith } from "@/lib/crypto/derive-key";

export const RECOVERY_CODE_COUNT = 10;

// Crockford's base32 alphabet: 32 symbols (5 bits each, so 10 symbols = 50
// bits) without i, l, o or u; normalization maps the look-alikes back.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const LOOKALIKES: Record<string, string> = { o: "0", i: "1", l: "1" };
const CODE_LENGTH = 10;

function randomCode(): string {
  // 256 is a multiple of 32, so masking each byte keeps every symbol equally likely.
  const chars = Array.from(randomBytes(CODE_LENGTH), (b) => ALPHABET[b & 31]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/**
 * The canonical `xxxxx-xxxxx` form of what a person typed (any case, with or
 * without the dash or spaces, o/i/l for 0/1/1), or null when it cannot be a
 * recovery code. Hashes are always taken of this canonical form.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "")
    .replace(/[oil]/g, (c) => LOOKALIKES[c]);
  if (compact.length !== CODE_LENGTH || [...compact].some((c) => !ALPHABET.includes(c))) return null;
  return `${compact.slice(0, 5)}-${compact.slice(5)}`;
}

/**
 * The stored form of a canonical code: HMAC-SHA256 under a key derived from
 * the master key, bound to the user. A database dump alone no longer lets a
 * GPU sweep the ~2^50 codes (an unsalted SHA-256 did); lookups and the
 * conditional update stay exact-match. Prefixed, so the format can change.
 */
export function recoveryCodeHash(userId: string, canonicalCode: string): string {
  return recoveryCodeHashWith(keyFor("recovery-code"), userId, canonicalCode);
}

/**
 * Replace the user's recovery codes with a new set and return it; the plain
 * codes exist only in this return value (shown once), the database keeps their
 * keyed hashes (recoveryCodeHash). Invariant: every earlier code, used or not, stops working.
 * Runs inside the caller's transaction so the caller's audit event lands with it.
 */
export async function generateRecoveryCodes(tx: Tx, userId: string): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(randomCode());
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({ data: [...codes].map((code) => ({ id: newId(), userId, codeHash: recoveryCodeHash(userId, code) })) });
  return [...codes];
}

/**
 * Spend one recovery code. Invariant: single use even under concurrency — the
 * conditional update only matches an unused code, so of two requests racing
 * with the same code exactly one sees count 1. No audit here (callers audit).
 */
export async function consumeRecoveryCode(db: Db | Tx, userId: string, code: string): Promise<boolean> {
  const normalized = normalizeRecoveryCode(code);
  if (!normalized) return false;
  const { count } = await db.recoveryCode.updateMany({
    // Codes issued before keyed hashes were stored as plain SHA-256; they keep working until used or regenerated.
    // During a master-key rotation a code hashed under GATEHOUSE_MASTER_KEY_PREVIOUS matches too.
    where: { userId, codeHash: { in: [...keysFor(RECOVERY_PURPOSE).map((k) => recoveryCodeHashWith(k, userId, normalized)), sha256Hex(normalized)] }, usedAt: null },
    data: { usedAt: new Date() },
  });
  if (count === 1) return true;
  // Codes carried over a master-key rotation by `vault rewrap` keep their hash keys, sealed with them.
  const carried = await db.recoveryCode.findMany({ where: { userId, usedAt: null, codeHash: { startsWith: CARRIED_PREFIX } }, select: { id: true, codeHash: true } });
  for (const row of carried) {
    const [, sealedKeys, hash] = row.codeHash.split("|");
    let keys: string[];
    try {
      keys = JSON.parse(unseal(CARRIED_KEYS_PURPOSE, userId, sealedKeys)) as string[];
    } catch {
      continue;
    }
    if (!keys.some((k) => recoveryCodeHashWith(Buffer.from(k, "hex"), userId, normalized) === hash)) continue;
    const spent = await db.recoveryCode.updateMany({ where: { id: row.id, codeHash: row.codeHash, usedAt: null }, data: { usedAt: new Date() } });
    return spent.count === 1;
  }
  return false;
}

const RECOVERY_PURPOSE = "recovery-code";
const CARRIED_PREFIX = "rk1|";
const CARRIED_KEYS_PURPOSE = "recovery-code-carried-keys";

/**
 * For `vault rewrap`: a recovery code's stored hash made independent of the
 * master keys being rotated. A keyed hash cannot be re-keyed without the code,
 * so the hash stays and the keys that may have made it (the purpose keys of
 * the previous and current master keys) travel with it, sealed under
 * `current` and bound to the user: `rk1|<sealed keys>|<hash>`. A row already
 * carried is resealed under `current` (null: nothing to do). Plain SHA-256
 * rows (from before keyed hashes) do not depend on a master key.
 */
export function carryRecoveryCodeHash(current: Buffer, previous: readonly Buffer[], userId: string, codeHash: string): string | null {
  if (codeHash.startsWith(CARRIED_PREFIX)) {
    const [, sealedKeys, hash] = codeHash.split("|");
    const { plaintext, keyIndex } = unsealWith([current, ...previous], CARRIED_KEYS_PURPOSE, userId, sealedKeys);
    return keyIndex === 0 ? null : `${CARRIED_PREFIX}${sealWith(current, CARRIED_KEYS_PURPOSE, userId, plaintext)}|${hash}`;
  }
  if (!codeHash.startsWith("h1:") || previous.length === 0) return null;
  const keys = [current, ...previous].map((m) => deriveKey(m, RECOVERY_PURPOSE).toString("hex"));
  return `${CARRIED_PREFIX}${sealWith(current, CARRIED_KEYS_PURPOSE, userId, JSON.stringify(keys))}|${codeHash}`;
}

export function countRemainingRecoveryCodes(db: Db | Tx, userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}
