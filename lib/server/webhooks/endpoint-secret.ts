import "server-only";
import { seal, unseal } from "@/lib/server/sealed-box";

const PURPOSE = "webhook-signing-secret";

/** Signing secrets are sealed at rest, bound to their endpoint's id. */
export function sealEndpointSecret(endpointId: string, secret: string): string {
  return seal(PURPOSE, endpointId, secret);
}

/**
 * The secrets that sign a delivery now: the current one, then the previous
 * one while its rotation grace period runs (Standard Webhooks multi-signature).
 */
export function signingSecrets(endpoint: { id: string; secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null }, now = new Date()): string[] {
  const secrets = [unseal(PURPOSE, endpoint.id, endpoint.secret)];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(unseal(PURPOSE, endpoint.id, endpoint.previousSecret));
  }
  return secrets;
}
