import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { ALL_SCOPES, SCOPE_FAMILIES, WILDCARD } from "@/lib/api-keys/scopes";
import { API_ERROR_STATUS, apiErrorBodySchema, type ApiErrorCode } from "@/lib/server/api/api-error";
import { apiOperations, pathParams, type ApiOperation } from "./operations";

// `.openapi(refId)` (used by the registry to name components) needs the extension; it only adds methods.
extendZodWithOpenApi(z);

const SECURITY_SCHEME = "apiKey";
const ERROR_STATUSES: number[] = [...new Set<number>(Object.values(API_ERROR_STATUS))].sort((a, b) => a - b);

function codesWithStatus(status: number): ApiErrorCode[] {
  return (Object.keys(API_ERROR_STATUS) as ApiErrorCode[]).filter((code) => API_ERROR_STATUS[code] === status);
}

const ERROR_MEANINGS: Record<ApiErrorCode, string> = {
  key_missing: "no `Authorization: Bearer` header",
  key_invalid: "unknown, malformed, or a bad checksum",
  key_revoked: "the key was revoked",
  key_expired: "the key has expired",
  signature_invalid: "an inbound webhook's signature or timestamp is missing or wrong",
  insufficient_scope: "the key (or its owner's role) lacks the scope; the message names it",
  resource_forbidden: "outside the key's resource restrictions",
  ip_not_allowed: "the client IP is outside the key's allowlist",
  forbidden: "refused by a rule of the organization",
  not_found: "no such resource in the key's organization (other tenants' ids too)",
  method_not_allowed: "the path does not take this method",
  validation_failed: "the body or query does not match; `details` lists path and message",
  conflict: "the change conflicts with the current state (e.g. a duplicate name, an already revoked key)",
  payload_too_large: "the body is larger than 1 MB",
  unsupported_media_type: "the body is not `application/json`",
  rate_limited: "the key's per-minute limit is used up; see `Retry-After`",
  internal: "a fault on our side; nothing was changed",
  unavailable: "the database cannot be reached; retry after `Retry-After` seconds",
};

const HEADERS = {
  "X-Request-Id": { description: "The request's id (`request_id` in error bodies and in the audit log). On every answer.", schema: { type: "string", pattern: "^req_[A-Za-z0-9_-]+$" } },
  "RateLimit-Limit": { description: "Requests this key may make per minute. On every answer after the key is verified.", schema: { type: "integer" } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" } },
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
} as const;

const ref = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const rateHeaders = { "X-Request-Id": ref("X-Request-Id"), "RateLimit-Limit": ref("RateLimit-Limit"), "RateLimit-Remaining": ref("RateLimit-Remaining"), "RateLimit-Reset": ref("RateLimit-Reset") };

/** The error statuses an operation can answer. */
function errorStatusesOf(op: ApiOperation): number[] {
  if (op.scope === "public") return [500, 503];
  if (op.scope === "signature") return [400, 401, 404, 409, 413, 500, 503];
  const statuses = new Set([401, 403, 429, 500, 503]);
  if (op.body || op.query) statuses.add(400);
  if (op.body) [413, 415].forEach((s) => statuses.add(s));
  if (op.path.includes("{id}")) statuses.add(404);
  if (op.method !== "get") statuses.add(409);
  return ERROR_STATUSES.filter((s) => statuses.has(s));
}

function scopeText(op: ApiOperation): string {
  if (op.scope === "public") return "Public: no API key needed.";
  if (op.scope === "signature") return "No API key: the request must be signed with the intake's secret (see the README, \"Inbound webhooks\"). Refusals are audited as `denied`.";
  if (op.scope === null) return "Required scope: none (any valid key).";
  const [family, verb] = op.scope.split(":");
  const implied = [...(verb === "read" ? [`${family}:write`, `${family}:delete`] : []), ...(verb !== "manage" ? [`${family}:manage`] : []), "*"].filter((s) => s === "*" || ALL_SCOPES.includes(s));
  return `Required scope: \`${op.scope}\` (also granted by ${implied.map((s) => `\`${s}\``).join(", ")}), within what the key owner's current role allows.`;
}

function scopeCatalogue(): string {
  const rows = SCOPE_FAMILIES.map((f) => `| \`${f.family}\` | ${f.verbs.map((v) => `\`${f.family}:${v}\``).join(" ")} | ${f.description} |`);
  return [
    "Send a key as `Authorization: Bearer gat_…`. A key's effective permission is its scopes intersected with its owner's current role.",
    "`<family>:manage` implies every verb of its family; `write` and `delete` each imply `read`.",
    "",
    "| family | scopes | covers |",
    "| --- | --- | --- |",
    ...rows,
    `| (all) | \`${WILDCARD}\` | Full access (owners and admins only). |`,
  ].join("\n");
}

function buildDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", SECURITY_SCHEME, { type: "http", scheme: "bearer", bearerFormat: "gat_ API key", description: scopeCatalogue() });
  for (const [name, header] of Object.entries(HEADERS)) registry.registerComponent("headers", name, header);
  registry.register("Error", apiErrorBodySchema());
  const errorSchemas = new Map(ERROR_STATUSES.map((status) => [status, registry.register(`Error${status}`, apiErrorBodySchema(codesWithStatus(status)))]));

  const errorResponse = (status: number, keyed = true): ResponseConfig => ({
    description: codesWithStatus(status).map((code) => `\`${code}\`: ${ERROR_MEANINGS[code]}`).join("; "),
    headers: !keyed
      ? { "X-Request-Id": ref("X-Request-Id"), ...(status === 503 ? { "Retry-After": ref("Retry-After") } : {}) }
      : status === 429 || status === 503 ? { ...rateHeaders, "Retry-After": ref("Retry-After") } : status === 401 || status === 500 ? { "X-Request-Id": ref("X-Request-Id") } : rateHeaders,
    content: { "application/json": { schema: errorSchemas.get(status)! } },
  });

  for (const op of apiOperations()) {
    const responses: Record<string, ResponseConfig> = {
      [op.success.status]: {
        description: op.success.description,
        headers: op.scope === "public" ? undefined : op.scope === "signature" ? { "X-Request-Id": ref("X-Request-Id") } : rateHeaders,
        ...(op.success.schema ? { content: { [op.success.contentType ?? "application/json"]: { schema: op.success.schema } } } : {}),
      },
    };
    for (const status of errorStatusesOf(op)) responses[status] = errorResponse(status, op.scope !== "signature");
    if (op.unhealthy) responses[503] = { description: op.unhealthy.description, content: { "application/json": { schema: op.unhealthy.schema } } };
    registry.registerPath({
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: scopeText(op),
      security: op.scope === "public" || op.scope === "signature" ? [] : [{ [SECURITY_SCHEME]: op.scope ? [op.scope] : [] }],
      ...(op.scope && op.scope !== "public" && op.scope !== "signature" ? { "x-required-scope": op.scope } : {}),
      request: {
        params: pathParams(op.path),
        query: op.query,
        body: op.body ? { required: true, content: { "application/json": { schema: op.body } } } : undefined,
      },
      responses,
    });
  }

  const allCodes = (Object.keys(API_ERROR_STATUS) as ApiErrorCode[]).map((code) => `| \`${code}\` | ${API_ERROR_STATUS[code]} | ${ERROR_MEANINGS[code]} |`);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Gatehouse REST API",
      version: "1",
      description: [
        "Every error is `{\"error\": {\"code\", \"message\", \"request_id\", \"details\"?}}` and carries the `X-Request-Id` header; never a stack trace.",
        "",
        "| code | status | meaning |",
        "| --- | --- | --- |",
        ...allCodes,
      ].join("\n"),
    },
    security: [{ [SECURITY_SCHEME]: [] }],
  });
}

let cached: ReturnType<typeof buildDocument> | null = null;

/** The OpenAPI 3.1 document of /api/v1, built once from the routes' zod schemas, the scope catalogue and the error codes. */
export function openApiDocument() {
  cached ??= buildDocument();
  return cached;
}
