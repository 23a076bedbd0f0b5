import { z } from "zod";
import { RESOURCE_TYPES } from "@/lib/resources/registry";
import { createKeyBodySchema, rollKeyBodySchema, verifyKeyBodySchema } from "@/lib/validations/api-keys";
import { resourceApiSchemas } from "./resource-api-schemas";
import { redeliverWebhookBodySchema, rotateWebhookSecretBodySchema, webhookDeliveriesQuerySchema, webhookEndpointApiCreateSchema, webhookEndpointApiPatchSchema } from "@/lib/validations/webhooks";
import { queuedSchema, webhookDeliveryListSchema, webhookEndpointListSchema, webhookEndpointSchema, webhookEndpointWithSecretSchema } from "./webhook-schemas";
import { apiKeyListSchema, auditEventListSchema, createdApiKeySchema, meSchema, rolledApiKeySchema, verifyResultSchema } from "./response-schemas";
import { createJobEnvVarBodySchema, jobEnvListQuerySchema, jobEnvVarListSchema, jobEnvVarSchema, resolvedJobEnvSchema, updateJobEnvVarBodySchema } from "./job-env-schemas";
import { createSecretBodySchema, revealedSecretSchema, rotationPolicyBodySchema, secretListQuerySchema, secretListSchema, secretSchema, updateSecretBodySchema } from "./secret-schemas";

/**
 * Every operation of /api/v1, for the OpenAPI document (lib/api/openapi.ts).
 * `scope` must equal the scope the route passes to withApiKey; the OpenAPI
 * test checks each against the handler. A route file without an entry here
 * fails that test too.
 */
export interface ApiOperation {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI path, `{id}` for a dynamic segment. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  /** The scope the key needs; null: any valid key; "public": no key at all; "signature": no key, a signed inbound webhook. */
  scope: string | null | "public" | "signature";
  body?: z.ZodType;
  query?: z.ZodObject;
  success: { status: 200 | 201 | 202 | 204; description: string; schema?: z.ZodType; contentType?: string };
  /** A 503 that answers with its own body instead of the error shape (health checks). */
  unhealthy?: { description: string; schema: z.ZodType };
}

const idParam = z.object({ id: z.string().min(1).max(64).describe("The id; an id of another organization is answered like one that does not exist.") });
export const pathParams = (path: string) => {
  if (path.includes("{id}")) return idParam;
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return names.length > 0 ? z.object(Object.fromEntries(names.map((n) => [n, z.string().min(1).max(128)]))) : undefined;
};

const keyOperations: ApiOperation[] = [
  { method: "get", path: "/api/v1/me", operationId: "getMe", tag: "Keys", summary: "Describe the calling key", scope: null, success: { status: 200, description: "The calling key, its organization and its owner's role.", schema: meSchema } },
  { method: "get", path: "/api/v1/keys", operationId: "listKeys", tag: "Keys", summary: "List the organization's API keys", scope: "keys:manage", success: { status: 200, description: "Every key of the organization (never the secret).", schema: apiKeyListSchema } },
  { method: "post", path: "/api/v1/keys", operationId: "createKey", tag: "Keys", summary: "Issue an API key owned by the calling key's owner", scope: "keys:manage", body: createKeyBodySchema.meta({ id: "CreateKeyBody" }), success: { status: 201, description: "The new key; `key` is shown in this answer only.", schema: createdApiKeySchema } },
  { method: "delete", path: "/api/v1/keys/{id}", operationId: "revokeKey", tag: "Keys", summary: "Revoke an API key", scope: "keys:manage", success: { status: 204, description: "Revoked; the key is refused from the next request on." } },
  { method: "post", path: "/api/v1/keys/{id}/roll", operationId: "rollKey", tag: "Keys", summary: "Replace an API key, keeping the old one for a grace period", scope: "keys:manage", body: rollKeyBodySchema.meta({ id: "RollKeyBody" }), success: { status: 201, description: "The replacement key, shown once, and when the old one stops working.", schema: rolledApiKeySchema } },
  { method: "post", path: "/api/v1/keys/verify", operationId: "verifyKey", tag: "Keys", summary: "Verify a key presented to another service", scope: "keys:manage", body: verifyKeyBodySchema.meta({ id: "VerifyKeyBody" }), success: { status: 200, description: "Whether the key is good for the scope and resource, with a code; keys of other organizations read as `key_invalid`.", schema: verifyResultSchema } },
  { method: "get", path: "/api/v1/openapi.json", operationId: "getOpenApiDocument", tag: "Meta", summary: "This OpenAPI 3.1 document", scope: "public", success: { status: 200, description: "The OpenAPI document (cacheable).", schema: z.record(z.string(), z.unknown()) } },
];

const W = "/api/v1/webhooks";
const webhookOperations: ApiOperation[] = [
  { method: "get", path: W, operationId: "listWebhookEndpoints", tag: "Webhooks", summary: "List webhook endpoints", scope: "webhooks:read", success: { status: 200, description: "Every endpoint of the organization (never a secret).", schema: webhookEndpointListSchema } },
  { method: "post", path: W, operationId: "createWebhookEndpoint", tag: "Webhooks", summary: "Create a webhook endpoint", scope: "webhooks:write", body: webhookEndpointApiCreateSchema.meta({ id: "CreateWebhookEndpointBody" }), success: { status: 201, description: "The endpoint and its signing secret, shown in this answer only.", schema: webhookEndpointWithSecretSchema } },
  { method: "get", path: `${W}/{id}`, operationId: "getWebhookEndpoint", tag: "Webhooks", summary: "Get a webhook endpoint", scope: "webhooks:read", success: { status: 200, description: "The endpoint.", schema: webhookEndpointSchema } },
  { method: "patch", path: `${W}/{id}`, operationId: "updateWebhookEndpoint", tag: "Webhooks", summary: "Change, pause or resume a webhook endpoint", scope: "webhooks:write", body: webhookEndpointApiPatchSchema.meta({ id: "UpdateWebhookEndpointBody" }), success: { status: 200, description: "The endpoint as it is now.", schema: webhookEndpointSchema } },
  { method: "delete", path: `${W}/{id}`, operationId: "deleteWebhookEndpoint", tag: "Webhooks", summary: "Delete a webhook endpoint and its history", scope: "webhooks:delete", success: { status: 204, description: "Deleted." } },
  { method: "post", path: `${W}/{id}/rotate-secret`, operationId: "rotateWebhookSecret", tag: "Webhooks", summary: "Rotate an endpoint's signing secret", scope: "webhooks:write", body: rotateWebhookSecretBodySchema.meta({ id: "RotateWebhookSecretBody" }), success: { status: 200, description: "The endpoint and its new secret, shown in this answer only; the old secret signs too until `secret_rotating_until`.", schema: webhookEndpointWithSecretSchema } },
  { method: "post", path: `${W}/{id}/test`, operationId: "sendTestWebhook", tag: "Webhooks", summary: "Send a test event to an endpoint", scope: "webhooks:write", success: { status: 202, description: "Queued; the worker sends it within a second.", schema: queuedSchema } },
  { method: "get", path: `${W}/{id}/deliveries`, operationId: "listWebhookDeliveries", tag: "Webhooks", summary: "An endpoint's delivery history", scope: "webhooks:read", query: webhookDeliveriesQuerySchema, success: { status: 200, description: "Deliveries, newest first, with every attempt.", schema: webhookDeliveryListSchema } },
  { method: "post", path: `${W}/{id}/redeliver`, operationId: "redeliverWebhooks", tag: "Webhooks", summary: "Send one delivery again, or every failed one since a time", scope: "webhooks:write", body: redeliverWebhookBodySchema.meta({ id: "RedeliverWebhooksBody" }), success: { status: 202, description: "How many deliveries were queued; each is tried once.", schema: queuedSchema } },
];

// The filters of lib/validations/audit.ts as plain strings, for the document (the route parses with that schema).
const auditFilterQuery = z.object({
  actor_type: z.enum(["user", "system", "api_key", "agent"]).optional(),
  actor: z.string().max(100).optional().describe("An actor id (user, API key or agent)."),
  action: z.string().max(100).optional().describe("An action code, e.g. `member.role_changed`."),
  resource_type: z.string().max(64).optional(),
  resource_id: z.string().max(100).optional(),
  outcome: z.enum(["success", "denied", "failure"]).optional(),
  range: z.enum(["1h", "24h", "7d", "30d", "90d", "custom"]).optional().describe("A preset counted back from now, or `custom` with from/to."),
  from: z.string().optional().describe("ISO 8601 instant (UTC when no offset), inclusive."),
  to: z.string().optional().describe("ISO 8601 instant (UTC when no offset), inclusive."),
  q: z.string().max(200).optional().describe("Free text over labels, ids, IP, metadata and action names (case-insensitive)."),
});

const auditOperations: ApiOperation[] = [
  {
    method: "get", path: "/api/v1/audit-events", operationId: "listAuditEvents", tag: "Audit log", summary: "List audit events, newest first", scope: "audit:read",
    query: auditFilterQuery.extend({
      cursor: z.string().max(200).optional().describe("`next_cursor` of the previous page; only valid with the same filters."),
      at: z.string().optional().describe("Start at the newest event at or before this instant (jump to a date)."),
      limit: z.string().optional().describe("1–200, default 50."),
    }),
    success: { status: 200, description: "A page of events by keyset on (occurred_at, id): pages never shift while new events arrive.", schema: auditEventListSchema },
  },
  {
    method: "get", path: "/api/v1/audit-events/export", operationId: "exportAuditEvents", tag: "Audit log", summary: "Export audit events as CSV or JSON Lines (streamed; the export is audited)", scope: "audit:read",
    query: auditFilterQuery.extend({ format: z.enum(["csv", "jsonl"]).optional().describe("Default `jsonl`.") }),
    success: { status: 200, description: "CSV with a header row (formula-like cells prefixed with `'`), or JSON Lines: one `{\"type\":\"event\"}` line per event, then one `{\"type\":\"summary\"}` line with the count, the hashes that recomputed, and the chain head.", schema: z.string(), contentType: "application/x-ndjson" },
  },
];

const secretOperations: ApiOperation[] = [
  { method: "get", path: "/api/v1/secrets", operationId: "listSecrets", tag: "Secrets", summary: "List secrets (names and metadata, never values)", scope: "secrets:read", query: secretListQuerySchema, success: { status: 200, description: "A page of the secrets the key's owner may see (the organization's, their teams' and those teams' workspaces'; owners, admins and auditors: all), by name and scope.", schema: secretListSchema } },
  { method: "post", path: "/api/v1/secrets", operationId: "createSecret", tag: "Secrets", summary: "Create a secret at the organization, a team or a workspace", scope: "secrets:write", body: createSecretBodySchema, success: { status: 201, description: "The new secret's metadata (the value is encrypted and not returned).", schema: secretSchema } },
  { method: "get", path: "/api/v1/secrets/{id}", operationId: "getSecret", tag: "Secrets", summary: "Get a secret's metadata", scope: "secrets:read", success: { status: 200, description: "The secret's metadata, never its value.", schema: secretSchema } },
  { method: "patch", path: "/api/v1/secrets/{id}", operationId: "updateSecret", tag: "Secrets", summary: "Set a new value, category or description", scope: "secrets:write", body: updateSecretBodySchema, success: { status: 200, description: "The updated metadata.", schema: secretSchema } },
  { method: "delete", path: "/api/v1/secrets/{id}", operationId: "deleteSecret", tag: "Secrets", summary: "Delete a secret", scope: "secrets:delete", success: { status: 204, description: "Deleted." } },
  { method: "put", path: "/api/v1/secrets/{id}/rotation", operationId: "setSecretRotationPolicy", tag: "Secrets", summary: "Set or clear a secret's rotation policy", scope: "secrets:manage", body: rotationPolicyBodySchema, success: { status: 200, description: "The secret's metadata with its rotation status.", schema: secretSchema } },
  { method: "post", path: "/api/v1/secrets/{id}/reveal", operationId: "revealSecret", tag: "Secrets", summary: "Reveal a secret's value (audited)", scope: "secrets:read", success: { status: 200, description: "The decrypted value. Every reveal is recorded in the audit log (never the value).", schema: revealedSecretSchema } },
];

const J = "/api/v1/job_env";
const jobEnvOperations: ApiOperation[] = [
  { method: "get", path: J, operationId: "listJobEnvVars", tag: "Job ENV", summary: "List Job ENV variables and Prop overrides", scope: "job_env:read", query: jobEnvListQuerySchema, success: { status: 200, description: "Organization-wide variables, then Prop overrides; values as written (references unresolved).", schema: jobEnvVarListSchema } },
  { method: "post", path: J, operationId: "createJobEnvVar", tag: "Job ENV", summary: "Create a variable or a Prop override", scope: "job_env:write", body: createJobEnvVarBodySchema, success: { status: 201, description: "The new variable.", schema: jobEnvVarSchema } },
  { method: "get", path: `${J}/{id}`, operationId: "getJobEnvVar", tag: "Job ENV", summary: "Get a variable", scope: "job_env:read", success: { status: 200, description: "The variable.", schema: jobEnvVarSchema } },
  { method: "patch", path: `${J}/{id}`, operationId: "updateJobEnvVar", tag: "Job ENV", summary: "Rename a variable or set its value", scope: "job_env:write", body: updateJobEnvVarBodySchema, success: { status: 200, description: "The variable as it is now.", schema: jobEnvVarSchema } },
  { method: "delete", path: `${J}/{id}`, operationId: "deleteJobEnvVar", tag: "Job ENV", summary: "Delete a variable", scope: "job_env:delete", success: { status: 204, description: "Deleted." } },
  { method: "post", path: "/api/v1/props/{id}/job_env/resolve", operationId: "resolveJobEnv", tag: "Job ENV", summary: "Resolve a Prop's environment for a run (secret values included; audited)", scope: "job_env:manage", success: { status: 200, description: "Every variable with its references substituted (narrowest secret scope from the Prop's workspace upward). 400 `validation_failed` when a reference no longer resolves. Audited with the names, never the values.", schema: resolvedJobEnvSchema } },
];

function capitalized(value: string) {
  return value.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

/** The five routes of every registry resource type, with its scopes. */
function resourceOperations(): ApiOperation[] {
  return RESOURCE_TYPES.flatMap((def): ApiOperation[] => {
    const one = capitalized(def.type);
    // The routes' own schemas, already named as components.
    const s = resourceApiSchemas(def);
    const many = capitalized(def.plural);
    const base = `/api/v1/${def.plural}`;
    const read = `${def.scopeFamily}:read`;
    const write = `${def.scopeFamily}:write`;
    const tag = def.labelPlural;
    return [
      { method: "get", path: base, operationId: `list${many}`, tag, summary: `List ${def.labelPlural.toLowerCase()}`, scope: read, query: s.listQuery, success: { status: 200, description: `A page of ${def.labelPlural.toLowerCase()}; pass \`next_cursor\` as \`cursor\` for the next one (null on the last page).`, schema: s.list } },
      { method: "post", path: base, operationId: `create${one}`, tag, summary: `Create a ${def.label.toLowerCase()}`, scope: write, body: s.create, success: { status: 201, description: `The new ${def.label.toLowerCase()}.`, schema: s.resource } },
      { method: "get", path: `${base}/{id}`, operationId: `get${one}`, tag, summary: `Get a ${def.label.toLowerCase()}`, scope: read, success: { status: 200, description: `The ${def.label.toLowerCase()}.`, schema: s.resource } },
      { method: "patch", path: `${base}/{id}`, operationId: `update${one}`, tag, summary: `Update a ${def.label.toLowerCase()}`, scope: write, body: s.update, success: { status: 200, description: `The updated ${def.label.toLowerCase()}.`, schema: s.resource } },
      { method: "delete", path: `${base}/{id}`, operationId: `delete${one}`, tag, summary: `Delete a ${def.label.toLowerCase()}`, scope: def.hasDeleteScope ? `${def.scopeFamily}:delete` : write, success: { status: 204, description: "Deleted." } },
    ];
  });
}

// Secrets backend health (open: no API key).
const healthCheckSchema = z.object({ status: z.enum(["ok", "fail"]), latency_ms: z.number().int(), reason: z.enum(["unreachable", "denied", "conflict", "not_found", "failed"]).optional().describe("Present when the check failed.") });
const secretsHealthSchema = z
  .object({
    status: z.enum(["ok", "unhealthy"]),
    backend: z.enum(["db", "aws_secrets_manager", "vault"]),
    checks: z.object({ list_secrets: healthCheckSchema, get_secret: healthCheckSchema }),
    checked_at: z.string().describe("When the backend was last asked (answers are reused for a few seconds)."),
  })
  .meta({ id: "SecretsHealth" });
const healthOperations: ApiOperation[] = [
  {
    method: "get", path: "/api/v1/health/secrets", operationId: "getSecretsHealth", tag: "Meta", summary: "Secrets backend health (list and read a canary; never a value)", scope: "public",
    success: { status: 200, description: "The backend listed secrets and read Gatehouse's canary.", schema: secretsHealthSchema },
    unhealthy: { description: "A check failed: `reason` says how (unreachable, denied, …).", schema: secretsHealthSchema },
  },
];

// Inbound webhooks (README "Inbound webhooks"): signed by the sender, not keyed.
const integrationOperations: ApiOperation[] = [
  {
    method: "post", path: "/api/v1/integrations/{provider}/webhook/{intakeId}", operationId: "receiveInboundWebhook", tag: "Integrations",
    summary: "Receive a signed webhook from GitHub (`X-Hub-Signature-256`), Gitea (`X-Gitea-Signature`) or a Standard Webhooks sender; `provider` is github, gitea or standard, `intakeId` comes from the console",
    scope: "signature", body: z.record(z.string(), z.unknown()).meta({ id: "InboundWebhookBody" }),
    success: { status: 202, description: "Accepted and recorded (a push touches the matching Prop).", schema: z.object({ accepted: z.literal(true), event: z.string(), prop_id: z.string().nullable() }) },
  },
];

export function apiOperations(): ApiOperation[] {
  return [...keyOperations, ...auditOperations, ...secretOperations, ...resourceOperations(), ...webhookOperations, ...jobEnvOperations, ...integrationOperations, ...healthOperations];
}
