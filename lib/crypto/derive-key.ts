import { createHmac, hkdfSync } from "node:crypto";

/**
 * A 256-bit key for one purpose, derived from the master key with HKDF-SHA256
 * (info `gatehouse:<purpose>`). Pure; the server calls it through
 * lib/server/sealed-box.ts with the configured master key.
 */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), `gatehouse:${purpose}`, 32));
}

/**
 * The stored form of a canonical recovery code: HMAC-SHA256 under the
 * "recovery-code" key, bound to the user, prefixed with its format version.
 */
export function recoveryCodeHashWith(recoveryKey: Buffer, userId: string, canonicalCode: string): string {
  return `h1:${createHmac("sha256", recoveryKey).update(`${userId}:${canonicalCode}`).digest("hex")}`;
}
