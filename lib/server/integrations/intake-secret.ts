import "server-only";
import { randomBytes } from "node:crypto";
import { seal, unseal } from "@/lib/server/sealed-box";
import { generateWebhookSecret } from "@/lib/webhooks/signature";
import type { IntakeProvider } from "@/lib/integrations/verify-inbound";

const PURPOSE = "integration-intake-secret";

/**
 * A new intake secret: `whsec_…` for Standard Webhooks senders; 32 random
 * bytes as base64url for GitHub and Gitea (they take any string and HMAC with it as is).
 */
export function generateIntakeSecret(provider: IntakeProvider): string {
  return provider === "standard" ? generateWebhookSecret() : randomBytes(32).toString("base64url");
}

/** Sealed at rest with the master key, bound to the intake's id. */
export function sealIntakeSecret(intakeId: string, secret: string): string {
  return seal(PURPOSE, intakeId, secret);
}

export function unsealIntakeSecret(intakeId: string, sealed: string): string {
  return unseal(PURPOSE, intakeId, sealed);
}
