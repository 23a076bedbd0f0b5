// PUT /api/v1/secrets/{id}/rotation: set or clear a secret's rotation policy (secrets:manage).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { setRotationPolicy } from "@/lib/server/secrets/set-rotation-policy";
import { getSecretSummary } from "@/lib/server/secrets/list-secrets";
import { secretJson, viewerOfKey } from "@/lib/server/secrets/secret-json";
import { rotationPolicyBodySchema } from "@/lib/api/secret-schemas";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const PUT = withApiKey<{ id: string }>(
  async ({ db, key, actor, params, body }) => {
    await setRotationPolicy(db, { orgId: key.organizationId, id: params.id, actor, input: await body(rotationPolicyBodySchema) });
    return apiJson(secretJson(await getSecretSummary(db, { orgId: key.organizationId, id: params.id, viewer: viewerOfKey(key, actor) })));
  },
  { scope: "secrets:manage" },
);

export const { GET, POST, PATCH, DELETE } = otherMethods(["PUT"]);
