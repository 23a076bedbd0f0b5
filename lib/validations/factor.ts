import { z } from "zod";
import { jsonField } from "./json-field";

/** A WebAuthn assertion as @simplewebauthn/browser returns it (checked structurally; the crypto is checked by the server library). */
export const authenticationResponseSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: z.string().max(10_000),
    authenticatorData: z.string().max(10_000),
    signature: z.string().max(10_000),
    userHandle: z.string().max(1024).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

/** A JSON string field holding an authentication response. */
export const authenticationResponseField = jsonField(authenticationResponseSchema, 40_000);

export const totpCodeSchema = z
  .string()
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."));

/** One proof of identity, chosen by `method` (form field). */
export const factorProofSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("password"), password: z.string().min(1, "Enter your password.").max(256) }),
  z.object({ method: z.literal("totp"), code: totpCodeSchema }),
  z.object({ method: z.literal("recovery_code"), code: z.string().trim().min(10, "Enter one of your recovery codes.").max(32) }),
  z.object({ method: z.literal("security_key"), response: authenticationResponseField }),
]);

export type FactorProofInput = z.infer<typeof factorProofSchema>;
