// GET /api/v1/secrets: names and metadata of the secrets the key's owner may see (secrets:read); POST: create one (secrets:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { listSecretPage, getSecretSummary } from "@/lib/server/secrets/list-secrets";
import { createSecret } from "@/lib/server/secrets/create-secret";
import { secretJson, viewerOfKey } from "@/lib/server/secrets/secret-json";
import { createSecretBodySchema, secretListQuerySchema } from "@/lib/api/secret-schemas";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey(
  async ({ db, key, actor, query }) => {
    const { limit, cursor } = query(secretListQuerySchema);
    const page = await listSecretPage(db, { orgId: key.organizationId, viewer: viewerOfKey(key, actor), limit, cursor });
    return apiJson({ data: page.data.map(secretJson), next_cursor: page.nextCursor });
  },
  { scope: "secrets:read" },
);

export const POST = withApiKey(
  async ({ db, key, actor, body }) => {
    const input = await body(createSecretBodySchema);
    const created = await createSecret(db, { orgId: key.organizationId, actor, input });
    return apiJson(secretJson(await getSecretSummary(db, { orgId: key.organizationId, id: created.id, viewer: viewerOfKey(key, actor) })), 201);
  },
  { scope: "secrets:write" },
);

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
