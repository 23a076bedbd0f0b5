import { z } from "zod";
import { newPasswordSchema } from "./auth";
import { factorProofSchema, totpCodeSchema } from "./factor";
import { jsonField } from "./json-field";

export const confirmTotpSchema = z.object({ code: totpCodeSchema });

export const securityKeyNameSchema = z.string().trim().min(1, "Give the key a name.").max(60, "Use at most 60 characters.");

/** A WebAuthn registration response as @simplewebauthn/browser returns it (the attestation itself is verified by the server library). */
const registrationResponseSchema = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: z.string().max(20_000),
    attestationObject: z.string().max(40_000),
    transports: z.array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"])).max(10).optional(),
    authenticatorData: z.string().max(20_000).optional(),
    publicKey: z.string().max(20_000).optional(),
    publicKeyAlgorithm: z.number().optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});

export const registrationResponseField = jsonField(registrationResponseSchema, 60_000);

export const startKeyRegistrationSchema = z.object({ name: securityKeyNameSchema });
export const finishKeyRegistrationSchema = z.object({ name: securityKeyNameSchema, response: registrationResponseField });
export const renameKeySchema = z.object({ keyId: z.string().min(1).max(64), name: securityKeyNameSchema });

/** Removing a factor: sudo plus a fresh proof with a code or a (different) key. */
export const removeKeySchema = z.intersection(z.object({ keyId: z.string().min(1).max(64) }), factorProofSchema);
export const disableTotpSchema = factorProofSchema;

export const changePasswordSchema = z
  .object({
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
    // A checkbox: present ("on") when ticked.
    signOutOthers: z.literal("on").optional().transform((v) => v === "on"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });

export const requireTwoFactorSchema = z.object({ required: z.enum(["true", "false"]).transform((v) => v === "true") });
