import "server-only";
import { seal, unseal } from "@/lib/server/sealed-box";

const PURPOSE = "totp";

/**
 * Encrypt a TOTP secret for storage in `TotpCredential.secretCiphertext`.
 * Invariant: bound to the credential row id, so a ciphertext copied onto
 * another user's row does not decrypt there.
 */
export function sealTotpSecret(credentialId: string, secret: string): string {
  return seal(PURPOSE, credentialId, secret);
}

/** Decrypt what `sealTotpSecret` stored for the same credential id; throws on any mismatch or tampering. */
export function unsealTotpSecret(credentialId: string, sealed: string): string {
  return unseal(PURPOSE, credentialId, sealed);
}
