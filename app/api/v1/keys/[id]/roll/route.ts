// POST /api/v1/keys/{id}/roll: replace a key; the old one works for the grace period (keys:manage).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { rollApiKey } from "@/lib/server/api-keys/roll-api-key";
import { apiKeyJson } from "@/lib/server/api-keys/public-api-key";
import { rollKeyBodySchema } from "@/lib/validations/api-keys";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async ({ db, key, actor, params, body }) => {
    const input = await body(rollKeyBodySchema);
    const rolled = await rollApiKey(db, { keyId: params.id, authority: { orgId: key.organizationId, userId: key.ownerId, manageAll: true }, actor, graceHours: input.grace_hours });
    return apiJson({ ...apiKeyJson(rolled.key), key: rolled.raw, old_key_expires_at: rolled.oldKeyExpiresAt.toISOString() }, 201);
  },
  { scope: "keys:manage" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
