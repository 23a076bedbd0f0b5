// POST /api/v1/secrets/{id}/reveal: the decrypted value, explicitly and audited (secrets:read; only secrets the key's owner may see).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { revealSecret } from "@/lib/server/secrets/reveal-secret";
import { viewerOfKey } from "@/lib/server/secrets/secret-json";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async ({ db, key, actor, params }) => apiJson(await revealSecret(db, { orgId: key.organizationId, id: params.id, actor, viewer: viewerOfKey(key, actor) })),
  { scope: "secrets:read" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
