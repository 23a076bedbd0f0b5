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

/** One audit event as GET /api/v1/audit-events answers it (auditEventJson in lib/server/audit/audit-event-json.ts). */
export const auditEventSchema = z.object({
  id: z.string(),
  occurred_at: isoDate,
  seq: z.number().int().describe("Position in the organization's hash chain."),
  actor_type: z.enum(["user", "system", "api_key", "agent"]),
  actor_id: z.string().nullable(),
  actor_label: z.string().nullable(),
  action: z.string().describe("`resource.verb`, e.g. `member.role_changed`."),
  resource_type: z.string().nullable(),
  resource_id: z.string().nullable(),
  resource_label: z.string().nullable(),
  outcome: z.enum(["success", "denied", "failure"]),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  session_id: z.string().nullable(),
  api_key_id: z.string().nullable(),
  sudo_grant_id: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  prev_hash: z.string(),
  hash: z.string().describe("SHA-256 over every field and `prev_hash`."),
}).meta({ id: "AuditEvent" });

export const auditEventListSchema = z.object({
  data: z.array(auditEventSchema),
  next_cursor: z.string().nullable().describe("Pass as `cursor` with the same filters for the next page; null on the last page."),
}).meta({ id: "AuditEventList" });
