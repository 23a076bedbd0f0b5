import { z } from "zod";
import { ALL_SCOPES } from "@/lib/api-keys/scopes";
import { RESOURCE_TYPES } from "@/lib/resources/registry";

const scope = z.enum(ALL_SCOPES as [string, ...string[]], { message: "Not a scope of the catalogue." });
const resourceType = z.enum(RESOURCE_TYPES.map((r) => r.type) as [string, ...string[]]);

/** POST /api/v1/keys/verify */
export const verifyKeyBodySchema = z
  .object({
    key: z.string().min(1).max(200),
    scope: scope.optional(),
    resource: z.object({ type: resourceType, id: z.string().min(1).max(64) }).strict().optional(),
    /** The address the key was presented from, when the key has an IP allowlist. */
    ip: z.string().max(64).optional(),
  })
  .strict();

/** POST /api/v1/keys */
export const createKeyBodySchema = z
  .object({
    name: z.string().min(1).max(100),
    scopes: z.array(scope).min(1).max(ALL_SCOPES.length),
    restrictions: z.record(resourceType, z.array(z.string().min(1).max(64)).max(100)).optional(),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
    no_expiry: z.boolean().optional(),
    allowed_cidrs: z.array(z.string().max(64)).max(50).optional(),
    rate_limit_per_minute: z.union([z.number(), z.string(), z.null()]).optional(),
    agent_id: z.string().min(1).max(64).nullable().optional(),
  })
  .strict();

/** POST /api/v1/keys/{id}/roll */
export const rollKeyBodySchema = z.object({ grace_hours: z.number().min(0).max(168).default(24) }).strict();

// ---- Console forms (FormData: one string per field; lists travel as text, restrictions as JSON) ----

const listText = (max: number) =>
  z
    .string()
    .max(max, "That list is too long.")
    .optional()
    .transform((v) => (v ?? "").split(/[\s,]+/).map((s) => s.trim()).filter(Boolean));

const restrictionsField = z
  .string()
  .max(20_000, "Too many resources chosen.")
  .optional()
  .transform((value, ctx) => {
    if (!value) return {};
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "The chosen resources could not be read. Reload the page and try again." });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().max(40), z.array(z.string().min(1).max(64)).max(100, "At most 100 resources per type.")));

export const KEY_EXPIRY_CHOICES = ["7", "30", "90", "180", "365", "custom", "never"] as const;
export type KeyExpiryChoice = (typeof KEY_EXPIRY_CHOICES)[number];

const keyName = z.string().trim().min(1, "Enter a name, such as “CI deploys”.").max(100, "Use at most 100 characters.");
const keyId = z.string().min(1).max(64);

/** The console's "Create API key" form. */
export const createKeyFormSchema = z
  .object({
    name: keyName,
    /** Space-separated scopes. */
    scopes: listText(5_000).pipe(z.array(z.string()).min(1, "Choose at least one scope.")),
    restrictions: restrictionsField,
    expiry: z.enum(KEY_EXPIRY_CHOICES, { message: "Choose when the key expires." }).default("90"),
    /** YYYY-MM-DD when `expiry` is "custom": the key expires at the start of that day (UTC). */
    expiresOn: z.string().max(10).optional(),
    allowedCidrs: listText(5_000),
    rateLimitPerMinute: z.string().max(30).optional(),
    agentId: z.string().max(64).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.expiry === "custom" && !/^\d{4}-\d{2}-\d{2}$/.test(v.expiresOn ?? "")) {
      ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Pick the date the key expires." });
    }
  });
export type CreateKeyForm = z.infer<typeof createKeyFormSchema>;

/** The console's edit form: name, restrictions, IP allowlist, and (owners and admins) the rate-limit override. */
export const updateKeyFormSchema = z.object({
  keyId,
  name: keyName,
  restrictions: restrictionsField,
  allowedCidrs: listText(5_000),
  rateLimitPerMinute: z.string().max(30).optional(),
});
export type UpdateKeyForm = z.infer<typeof updateKeyFormSchema>;

export const revokeKeyFormSchema = z.object({ keyId });

export const rollKeyFormSchema = z.object({
  keyId,
  graceHours: z.coerce.number({ message: "Choose a grace period." }).int().min(0, "0 to 7 days.").max(168, "0 to 7 days."),
});

/** Settings: the organization's maximum key lifetime; empty means no maximum. */
export const keyPolicyFormSchema = z.object({
  maxLifetimeDays: z
    .string()
    .trim()
    .max(10)
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      if (!/^\d+$/.test(v)) {
        ctx.addIssue({ code: "custom", message: "Enter a whole number of days, or leave it empty for no maximum." });
        return z.NEVER;
      }
      return Number(v);
    }),
});
