import { z } from "zod";
import { ALL_SCOPES } from "@/lib/api-keys/scopes";

/**
 * What the key routes answer, for the OpenAPI document: the shapes of
 * apiKeyJson (lib/server/api-keys/public-api-key.ts), describeCallingKey and
 * verifyPresentedKey. Request bodies are not here: the document uses the
 * routes' own schemas from lib/validations.
 */

const isoDate = z.iso.datetime({ offset: true });
const scopes = z.array(z.enum(ALL_SCOPES as [string, ...string[]]).meta({ id: "Scope" }));
const restrictions = z.record(z.string(), z.array(z.string())).describe("Resource type → the ids the key is restricted to; a type not listed is unrestricted.");

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("`gat_` and the first 8 characters, to recognise the key."),
  owner_id: z.string(),
  agent: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  scopes,
  restrictions,
  allowed_cidrs: z.array(z.string()),
  rate_limit_per_minute: z.number().int().nullable(),
  expires_at: isoDate.nullable(),
  created_at: isoDate,
  last_used_at: isoDate.nullable(),
  last_used_ip: z.string().nullable(),
  revoked_at: isoDate.nullable(),
  rolled_to_id: z.string().nullable(),
  status: z.enum(["active", "expired", "revoked"]),
}).meta({ id: "ApiKey" });

export const apiKeyListSchema = z.object({
  data: z.array(apiKeySchema.extend({ owner: z.object({ id: z.string(), email: z.string() }).nullable() })),
  next_cursor: z.string().nullable(),
}).meta({ id: "ApiKeyList" });

export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().describe("The raw key. Shown in this answer only: store it now.") }).meta({ id: "CreatedApiKey" });

export const rolledApiKeySchema = createdApiKeySchema.extend({ old_key_expires_at: isoDate.describe("The replaced key keeps working until then.") }).meta({ id: "RolledApiKey" });

export const meSchema = z.object({
  key: z.object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes,
    restrictions,
    allowed_cidrs: z.array(z.string()),
    rate_limit_per_minute: z.number().int().nullable(),
    expires_at: isoDate.nullable(),
    created_at: isoDate,
  }),
  organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
  owner: z.object({ id: z.string(), role: z.enum(["owner", "admin", "member", "auditor"]).nullable() }),
  actor: z.object({ type: z.enum(["api_key", "agent"]), id: z.string(), name: z.string() }),
}).meta({ id: "Me" });

export const verifyResultSchema = z.object({
  valid: z.boolean(),
  code: z.enum(["valid", "key_invalid", "key_revoked", "key_expired", "ip_not_allowed", "insufficient_scope", "resource_forbidden"]),
  organization: z.object({ id: z.string(), name: z.string(), slug: z.string() }).optional(),
  scopes: scopes.optional(),
  restrictions: restrictions.optional(),
  expires_at: isoDate.nullable().optional(),
}).meta({ id: "VerifyResult" });
