// DELETE /api/v1/keys/{id}: revoke a key of the organization (keys:manage).
import { withApiKey } from "@/lib/server/api/with-api-key";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const DELETE = withApiKey<{ id: string }>(
  async ({ db, key, actor, params }) => {
    await revokeApiKey(db, { keyId: params.id, authority: { orgId: key.organizationId, userId: key.ownerId, manageAll: true }, actor, reason: "revoked through the API" });
    return new Response(null, { status: 204 });
  },
  { scope: "keys:manage" },
);

export const { GET, POST, PUT, PATCH } = otherMethods(["DELETE"]);
