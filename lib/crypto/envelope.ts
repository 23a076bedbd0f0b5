import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { deriveKey } from "./derive-key";

/**
 * Envelope encryption of vault values (DESIGN.md "Secret vault"). Pure: the
 * master keys are parameters; the server passes the configured ones.
 *
 * - Each value is sealed with AES-256-GCM under its own random 256-bit data
 *   key and a fresh random 96-bit nonce; the additional data binds it to the
 *   secret's id, name and scope, so a ciphertext copied onto another row (or a
 *   renamed or re-scoped one) does not decrypt.
 * - The data key is sealed (AES-256-GCM) under a key derived from the master
 *   key, bound to the secret's id; `masterKeyId` (a fingerprint, never the key)
 *   says which master key wrapped it, so rotation can rewrap row by row.
 * - Errors never carry the plaintext.
 */

const FORMAT = "v1";

export interface SecretBinding {
  id: string;
  name: string;
  /** "organization", "team:<id>" or "workspace:<id>". */
  scopeKey: string;
}

export interface SealedSecret {
  ciphertext: string;
  wrappedKey: string;
  masterKeyId: string;
}

export class VaultDecryptError extends Error {
  constructor(reason: string) {
    super(`vault: ${reason}`);
    this.name = "VaultDecryptError";
  }
}

// Derived once per master key buffer (HKDF on every value would dominate the cost of a seal).
const derived = new WeakMap<Buffer, { kek: Buffer; id: string }>();
function keysOf(master: Buffer) {
  let entry = derived.get(master);
  if (!entry) {
    entry = { kek: deriveKey(master, "vault-kek"), id: createHash("sha256").update(deriveKey(master, "vault-key-id")).digest("hex").slice(0, 16) };
    derived.set(master, entry);
  }
  return entry;
}

/** A short public fingerprint naming a master key (HKDF output hashed; reveals nothing about the key). */
export function masterKeyId(master: Buffer): string {
  return keysOf(master).id;
}

function valueAad(b: SecretBinding): Buffer {
  return Buffer.from(`gatehouse-secret:${FORMAT}\u0000${b.id}\u0000${b.name}\u0000${b.scopeKey}`, "utf8");
}

function keyAad(id: string): Buffer {
  return Buffer.from(`gatehouse-data-key:${FORMAT}\u0000${id}`, "utf8");
}

function gcmSeal(key: Buffer, aad: Buffer, plaintext: Buffer): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [FORMAT, nonce.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

function gcmOpen(key: Buffer, aad: Buffer, sealed: string, what: string): Buffer {
  const [format, nonce, tag, body] = sealed.split(".");
  if (format !== FORMAT || !nonce || !tag || body === undefined) throw new VaultDecryptError(`the ${what} has an unsupported format`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
    decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]);
  } catch {
    throw new VaultDecryptError(`the ${what} does not decrypt (altered, moved to another secret, or sealed under another master key)`);
  }
}

/** The nonce of a sealed part, for tests that check nonces never repeat. */
export function nonceOf(sealed: string): string {
  return sealed.split(".")[1] ?? "";
}

/** Seal `plaintext` for the secret `binding` under a fresh data key wrapped by `master`. */
export function sealSecretValue(master: Buffer, binding: SecretBinding, plaintext: string): SealedSecret {
  const dataKey = randomBytes(32);
  try {
    return {
      ciphertext: gcmSeal(dataKey, valueAad(binding), Buffer.from(plaintext, "utf8")),
      wrappedKey: gcmSeal(keysOf(master).kek, keyAad(binding.id), dataKey),
      masterKeyId: masterKeyId(master),
    };
  } finally {
    dataKey.fill(0);
  }
}

function unwrapDataKey(masters: readonly Buffer[], binding: SecretBinding, sealed: Pick<SealedSecret, "wrappedKey" | "masterKeyId">): Buffer {
  const master = masters.find((m) => masterKeyId(m) === sealed.masterKeyId);
  if (!master) throw new VaultDecryptError(`the data key was wrapped by master key ${sealed.masterKeyId}, which is not configured (set it as GATEHOUSE_MASTER_KEY_PREVIOUS and run "gatehouse vault rewrap")`);
  return gcmOpen(keysOf(master).kek, keyAad(binding.id), sealed.wrappedKey, "data key");
}

/** Open a sealed value with whichever of `masters` wrapped its data key; throws VaultDecryptError otherwise. */
export function openSecretValue(masters: readonly Buffer[], binding: SecretBinding, sealed: SealedSecret): string {
  const dataKey = unwrapDataKey(masters, binding, sealed);
  try {
    return gcmOpen(dataKey, valueAad(binding), sealed.ciphertext, "value").toString("utf8");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wrap a value's data key under `to` (the value's ciphertext is untouched). */
export function rewrapDataKey(masters: readonly Buffer[], to: Buffer, binding: SecretBinding, sealed: SealedSecret): Pick<SealedSecret, "wrappedKey" | "masterKeyId"> {
  const dataKey = unwrapDataKey(masters, binding, sealed);
  try {
    return { wrappedKey: gcmSeal(keysOf(to).kek, keyAad(binding.id), dataKey), masterKeyId: masterKeyId(to) };
  } finally {
    dataKey.fill(0);
  }
}
