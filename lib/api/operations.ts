import { z } from "zod";
import { RESOURCE_TYPES } from "@/lib/resources/registry";
import { createKeyBodySchema, rollKeyBodySchema, verifyKeyBodySchema } from "@/lib/validations/api-keys";
import { resourceApiSchemas } from "./resource-api-schemas";
import { createSecretBodySchema, revealedSecretSchema, rotationPolicyBodySchema, secretListQuerySchema, secretListSchema, secretSchema, updateSecretBodySchema } from "./secret-schemas";
import { apiKeyListSchema, createdApiKeySchema, meSchema, rolledApiKeySchema, verifyResultSchema } from "./response-schemas";

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
  /** The scope the key needs; null: any valid key; "public": no key at all. */
  scope: string | null | "public";
  body?: z.ZodType;
  query?: z.ZodObject;
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType; contentType?: string };
}

const idParam = z.object({ id: z.string().min(1).max(64).describe("The id; an id of another organization is answered like one that does not exist.") });
export const pathParams = (path: string) => (path.includes("{id}") ? idParam : undefined);

const keyOperations: ApiOperation[] = [
  { method: "get", path: "/api/v1/me", operationId: "getMe", tag: "Keys", summary: "Describe the calling key", scope: null, success: { status: 200, description: "The calling key, its organization and its owner's role.", schema: meSchema } },
  { method: "get", path: "/api/v1/keys", operationId: "listKeys", tag: "Keys", summary: "List the organization's API keys", scope: "keys:manage", success: { status: 200, description: "Every key of the organization (never the secret).", schema: apiKeyListSchema } },
  { method: "post", path: "/api/v1/keys", operationId: "createKey", tag: "Keys", summary: "Issue an API key owned by the calling key's owner", scope: "keys:manage", body: createKeyBodySchema.meta({ id: "CreateKeyBody" }), success: { status: 201, description: "The new key; `key` is shown in this answer only.", schema: createdApiKeySchema } },
  { method: "delete", path: "/api/v1/keys/{id}", operationId: "revokeKey", tag: "Keys", summary: "Revoke an API key", scope: "keys:manage", success: { status: 204, description: "Revoked; the key is refused from the next request on." } },
  { method: "post", path: "/api/v1/keys/{id}/roll", operationId: "rollKey", tag: "Keys", summary: "Replace an API key, keeping the old one for a grace period", scope: "keys:manage", body: rollKeyBodySchema.meta({ id: "RollKeyBody" }), success: { status: 201, description: "The replacement key, shown once, and when the old one stops working.", schema: rolledApiKeySchema } },
  { method: "post", path: "/api/v1/keys/verify", operationId: "verifyKey", tag: "Keys", summary: "Verify a key presented to another service", scope: "keys:manage", body: verifyKeyBodySchema.meta({ id: "VerifyKeyBody" }), success: { status: 200, description: "Whether the key is good for the scope and resource, with a code; keys of other organizations read as `key_invalid`.", schema: verifyResultSchema } },
  { method: "get", path: "/api/v1/openapi.json", operationId: "getOpenApiDocument", tag: "Meta", summary: "This OpenAPI 3.1 document", scope: "public", success: { status: 200, description: "The OpenAPI document (cacheable).", schema: z.record(z.string(), z.unknown()) } },
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

export function apiOperations(): ApiOperation[] {
  return [...keyOperations, ...secretOperations, ...resourceOperations()];
}
