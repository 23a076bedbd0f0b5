import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { masterKeyId, nonceOf, openSecretValue, rewrapDataKey, sealSecretValue, VaultDecryptError } from "./envelope";

const A = Buffer.alloc(32, 1);
const B = Buffer.alloc(32, 2);
const binding = { id: "sec_1", name: "STRIPE_KEY", scopeKey: "organization" };

describe("envelope encryption", () => {
  it("round-trips any value, and the ciphertext does not contain it", () => {
    for (const value of ["sk_live_abc123", "ünïcødé ✓ \u0000 with NUL", " leading and trailing ", "x".repeat(32_768)]) {
      const sealed = sealSecretValue(A, binding, value);
      expect(openSecretValue([A], binding, sealed)).toBe(value);
      expect(sealed.ciphertext + sealed.wrappedKey).not.toContain(value.slice(0, 12));
      expect(sealed.masterKeyId).toBe(masterKeyId(A));
    }
  });

  it("binds the value to the secret's id, name and scope (a ciphertext moved elsewhere fails)", () => {
    const sealed = sealSecretValue(A, binding, "sk_live_abc123");
    for (const other of [{ ...binding, id: "sec_2" }, { ...binding, name: "OTHER" }, { ...binding, scopeKey: "team:t1" }]) {
      expect(() => openSecretValue([A], other, sealed)).toThrow(VaultDecryptError);
    }
    // Swapping the value of one secret onto another with its own data key also fails.
    const second = sealSecretValue(A, { ...binding, id: "sec_2" }, "other");
    expect(() => openSecretValue([A], { ...binding, id: "sec_2" }, { ...second, ciphertext: sealed.ciphertext })).toThrow(VaultDecryptError);
    expect(() => openSecretValue([A], binding, { ...sealed, wrappedKey: second.wrappedKey })).toThrow(VaultDecryptError);
  });

  it("detects a flipped bit and never puts the value in the error", () => {
    const sealed = sealSecretValue(A, binding, "sk_live_abc123");
    const parts = sealed.ciphertext.split(".");
    const body = Buffer.from(parts[3], "base64url");
    body[0] ^= 1;
    parts[3] = body.toString("base64url");
    let message = "";
    try {
      openSecretValue([A], binding, { ...sealed, ciphertext: parts.join(".") });
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/does not decrypt/);
    expect(message).not.toContain("sk_live");
  });

  it("needs the master key that wrapped the data key; rewrap moves it to the new key", () => {
    const sealed = sealSecretValue(A, binding, "v1");
    expect(() => openSecretValue([B], binding, sealed)).toThrow(/not configured/);
    const rewrapped = rewrapDataKey([B, A], B, binding, sealed);
    expect(rewrapped.masterKeyId).toBe(masterKeyId(B));
    const moved = { ...sealed, ...rewrapped };
    expect(openSecretValue([B], binding, moved)).toBe("v1");
    expect(() => openSecretValue([A], binding, moved)).toThrow(VaultDecryptError);
    // A wrapped key labelled with the wrong master key id does not open either.
    expect(() => openSecretValue([A, B], binding, { ...moved, masterKeyId: masterKeyId(A) })).toThrow(VaultDecryptError);
  });

  it("uses a fresh nonce for every encryption (100,000 values, no repeat)", () => {
    const key = randomBytes(32);
    const nonces = new Set<string>();
    const n = 100_000;
    for (let i = 0; i < n / 2; i++) {
      const sealed = sealSecretValue(key, binding, "same value");
      nonces.add(nonceOf(sealed.ciphertext));
      nonces.add(nonceOf(sealed.wrappedKey));
    }
    expect(nonces.size).toBe(n);
  }, 60_000);
});
