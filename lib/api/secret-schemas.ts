import { z } from "zod";
import { SECRET_CATEGORIES, SECRET_SCOPES, createSecretSchema, rotationPolicySchema, updateSecretSchema } from "@/lib/validations/secrets";

/** What the secrets routes answer (lib/server/secrets/secret-json.ts), for the OpenAPI document. Never a value, except the reveal. */

const isoDate = z.iso.datetime({ offset: true });

export const secretSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    category: z.enum(SECRET_CATEGORIES),
    description: z.string(),
    scope: z.enum(SECRET_SCOPES),
    team_id: z.string().nullable(),
    workspace_id: z.string().nullable(),
    scope_label: z.string(),
    value_version: z.number().int(),
    created_at: isoDate,
    created_by: z.string().nullable(),
    updated_at: isoDate,
    updated_by: z.string().nullable(),
    value_changed_at: isoDate,
    last_revealed_at: isoDate.nullable(),
    rotation: z.object({ state: z.enum(["none", "ok", "due_soon", "overdue"]), days_remaining: z.number().int().nullable(), due_at: isoDate.nullable() }),
  })
  .meta({ id: "Secret", description: "A secret's name and metadata. The value is never part of it." });

export const secretListSchema = z.object({ data: z.array(secretSchema), next_cursor: z.string().nullable() }).meta({ id: "SecretList" });

export const revealedSecretSchema = z.object({ id: z.string(), name: z.string(), value: z.string().describe("The decrypted value; this call is audited.") }).meta({ id: "RevealedSecret" });

export const createSecretBodySchema = createSecretSchema.meta({ id: "CreateSecretBody" });
export const updateSecretBodySchema = updateSecretSchema.meta({ id: "UpdateSecretBody" });
export const rotationPolicyBodySchema = rotationPolicySchema.meta({ id: "RotationPolicyBody", description: "`intervalDays` null clears the policy; `notifyBeforeDays` must be shorter than the interval." });

export const secretListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25).describe("1 to 100; 25 when left out."),
  cursor: z.string().max(400).optional().describe("`next_cursor` of the previous page."),
});
