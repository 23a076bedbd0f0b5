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
