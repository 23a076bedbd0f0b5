import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey } from "@/lib/crypto/derive-key";
import { getConfig } from "@/lib/server/config";

const VERSION = "v1";

/** The configured master keys: GATEHOUSE_MASTER_KEY first, then GATEHOUSE_MASTER_KEY_PREVIOUS during a rotation. */
export function configuredMasterKeys(): { current: Buffer; all: Buffer[] } {
  const { masterKey, previousMasterKey } = getConfig();
  if (!masterKey) throw new Error("GATEHOUSE_MASTER_KEY is not configured");
  return { current: masterKey, all: previousMasterKey ? [masterKey, previousMasterKey] : [masterKey] };
}

/** A 256-bit key for one purpose, derived from the (current) master key with HKDF-SHA256; never stored. */
export function keyFor(purpose: string): Buffer {
  return deriveKey(configuredMasterKeys().current, purpose);
}

/** The purpose key under every configured master key, current first (for lookups that must survive a rotation). */
export function keysFor(purpose: string): Buffer[] {
  return configuredMasterKeys().all.map((m) => deriveKey(m, purpose));
}

/** `seal` under an explicit master key. */
export function sealWith(master: Buffer, purpose: string, context: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(master, purpose), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/**
 * Open a sealed value with whichever of `masters` sealed it (the format
 * carries no key id: AES-GCM's tag tells the right key from a wrong one).
 * Returns the plaintext and the index of the key that opened it.
 */
export function unsealWith(masters: readonly Buffer[], purpose: string, context: string, sealed: string): { plaintext: string; keyIndex: number } {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("unsupported sealed value");
  for (const [keyIndex, master] of masters.entries()) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", deriveKey(master, purpose), Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return { plaintext: Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8"), keyIndex };
    } catch {
      // Not this key (or altered): try the next one.
    }
  }
  throw new Error("sealed value does not open with GATEHOUSE_MASTER_KEY or GATEHOUSE_MASTER_KEY_PREVIOUS (altered, moved, or sealed under another master key)");
}

/**
 * Encrypt a small value with AES-256-GCM under a key derived from the master
 * key for `purpose`. `context` (e.g. the owning row's id) is bound as
 * additional data, so a ciphertext copied to another row does not decrypt.
 * Output: `v1.<iv>.<tag>.<ciphertext>` in base64url.
 */
export function seal(purpose: string, context: string, plaintext: string): string {
  return sealWith(configuredMasterKeys().current, purpose, context, plaintext);
}

/**
 * Decrypt what `seal` produced for the same purpose and context; throws if
 * anything was altered. During a master-key rotation a value sealed under
 * GATEHOUSE_MASTER_KEY_PREVIOUS still opens (until `gatehouse vault rewrap` resealed it).
 */
export function unseal(purpose: string, context: string, sealed: string): string {
  return unsealWith(configuredMasterKeys().all, purpose, context, sealed).plaintext;
}

/** The value resealed under `current`, or null when it already is (what `vault rewrap` does row by row). */
export function resealUnder(current: Buffer, previous: readonly Buffer[], purpose: string, context: string, sealed: string): string | null {
  const { plaintext, keyIndex } = unsealWith([current, ...previous], purpose, context, sealed);
  return keyIndex === 0 ? null : sealWith(current, purpose, context, plaintext);
}
