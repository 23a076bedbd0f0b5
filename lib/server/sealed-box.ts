import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { deriveKey } from "@/lib/crypto/derive-key";
import { getConfig } from "@/lib/server/config";

const VERSION = "v1";

/** A 256-bit key for one purpose, derived from the master key with HKDF-SHA256; never stored. */
export function keyFor(purpose: string): Buffer {
  const master = getConfig().masterKey;
  if (!master) throw new Error("GATEHOUSE_MASTER_KEY is not configured");
  return deriveKey(master, purpose);
}

/**
 * Encrypt a small value with AES-256-GCM under a key derived from the master
 * key for `purpose`. `context` (e.g. the owning row's id) is bound as
 * additional data, so a ciphertext copied to another row does not decrypt.
 * Output: `v1.<iv>.<tag>.<ciphertext>` in base64url.
 */
export function seal(purpose: string, context: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(purpose), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** Decrypt what `seal` produced for the same purpose and context; throws if anything was altered. */
export function unseal(purpose: string, context: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("unsupported sealed value");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(purpose), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
