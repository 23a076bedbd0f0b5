// GET /api/v1/keys: the organization's keys; POST /api/v1/keys: issue a key owned by the calling key's owner (keys:manage).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { listApiKeys } from "@/lib/server/api-keys/list-api-keys";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { apiKeyJson } from "@/lib/server/api-keys/public-api-key";
import { createKeyBodySchema } from "@/lib/validations/api-keys";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey(
  async ({ db, key }) => {
    const keys = await listApiKeys(db, { orgId: key.organizationId, userId: key.ownerId, manageAll: true });
    return apiJson({ data: keys.map((k) => ({ ...apiKeyJson(k), owner: k.owner ? { id: k.owner.id, email: k.owner.email } : null })), next_cursor: null });
  },
  { scope: "keys:manage" },
);

export const POST = withApiKey(
  async ({ db, key, actor, body }) => {
    const input = await body(createKeyBodySchema);
    const created = await createApiKey(db, {
      orgId: key.organizationId,
      actor,
      ownerId: key.ownerId,
      name: input.name,
      scopes: input.scopes,
      restrictions: input.restrictions,
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
      noExpiry: input.no_expiry,
      allowedCidrs: input.allowed_cidrs,
      rateLimitPerMinute: input.rate_limit_per_minute,
      agentId: input.agent_id,
      creatorKeyScopes: key.scopes,
    });
    // The raw key is in this answer only.
    return apiJson({ ...apiKeyJson(created.key), key: created.raw }, 201);
  },
  { scope: "keys:manage" },
);

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
