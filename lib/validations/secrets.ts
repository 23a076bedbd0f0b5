import { z } from "zod";

export const SECRET_SCOPES = ["organization", "team", "workspace"] as const;
export type SecretScope = (typeof SECRET_SCOPES)[number];

/** The seed's categories. */
export const SECRET_CATEGORIES = ["provider", "infrastructure", "integration", "agent"] as const;
export type SecretCategory = (typeof SECRET_CATEGORIES)[number];

export const SECRET_CATEGORY_LABELS: Record<SecretCategory, string> = {
  provider: "Provider",
  infrastructure: "Infrastructure",
  integration: "Integration",
  agent: "Agent",
};

export const MAX_SECRET_VALUE_BYTES = 32_768;

/** Environment-variable style, as job ENV references them (`{{secrets.NAME}}`). */
export const secretNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(128, "Use at most 128 characters.")
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use letters, digits and underscores, not starting with a digit (e.g. STRIPE_API_KEY).");

/** Never trimmed (whitespace may be part of a credential); never echoed in errors. */
export const secretValueSchema = z
  .string()
  .min(1, "Enter the value.")
  .refine((v) => Buffer.byteLength(v, "utf8") <= MAX_SECRET_VALUE_BYTES, `The value may be at most ${MAX_SECRET_VALUE_BYTES} bytes.`);

const id = z.string().min(1).max(64);
const optionalId = z.preprocess((v) => (v === "" ? undefined : v), id.optional());
const description = z.string().trim().max(500, "Use at most 500 characters.");

export const createSecretSchema = z
  .object({
    name: secretNameSchema,
    category: z.enum(SECRET_CATEGORIES, { message: "Choose a category." }),
    description: description.optional().default(""),
    value: secretValueSchema,
    scope: z.enum(SECRET_SCOPES),
    teamId: optionalId,
    workspaceId: optionalId,
  })
  .superRefine((v, ctx) => {
    if (v.scope === "team" && !v.teamId) ctx.addIssue({ code: "custom", path: ["teamId"], message: "Choose the team." });
    if (v.scope === "workspace" && !v.workspaceId) ctx.addIssue({ code: "custom", path: ["workspaceId"], message: "Choose the workspace." });
  });
export type CreateSecretInput = z.infer<typeof createSecretSchema>;

/** Category, description and (when given) a new value; name and scope are fixed (the value is bound to them). */
export const updateSecretSchema = z.object({
  category: z.enum(SECRET_CATEGORIES, { message: "Choose a category." }).optional(),
  description: description.optional(),
  value: z.preprocess((v) => (v === "" ? undefined : v), secretValueSchema.optional()),
});
export type UpdateSecretInput = z.infer<typeof updateSecretSchema>;

const days = (max: number) => z.preprocess((v) => (v === "" || v === undefined ? null : typeof v === "string" ? Number(v) : v), z.number({ message: "Enter a whole number of days." }).int("Enter a whole number of days.").min(1, "At least 1 day.").max(max, `At most ${max} days.`).nullable());

/** Rotation policy: interval days (null: none) and notify-before days (at most the interval). */
export const rotationPolicySchema = z
  .object({ intervalDays: days(3650), notifyBeforeDays: days(365).default(null) })
  .superRefine((v, ctx) => {
    if (v.intervalDays !== null && v.notifyBeforeDays !== null && v.notifyBeforeDays >= v.intervalDays) {
      ctx.addIssue({ code: "custom", path: ["notifyBeforeDays"], message: "The notice must start before the interval ends." });
    }
  });
