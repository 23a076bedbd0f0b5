// GET /api/v1/secrets/{id}: one secret's metadata (secrets:read); PATCH: new value, category or description (secrets:write); DELETE (secrets:delete).
import type { NextRequest } from "next/server";
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { getSecretSummary } from "@/lib/server/secrets/list-secrets";
import { updateSecret } from "@/lib/server/secrets/update-secret";
import { deleteSecret } from "@/lib/server/secrets/delete-secret";
import { secretJson, viewerOfKey } from "@/lib/server/secrets/secret-json";
import { updateSecretBodySchema } from "@/lib/api/secret-schemas";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

type Params = { id: string };
const scopeFor = (req: NextRequest) => ({ GET: "secrets:read", PATCH: "secrets:write", DELETE: "secrets:delete" })[req.method] ?? "secrets:manage";

export const GET = withApiKey<Params>(
  async ({ db, key, actor, params }) => apiJson(secretJson(await getSecretSummary(db, { orgId: key.organizationId, id: params.id, viewer: viewerOfKey(key, actor) }))),
  { scope: scopeFor },
);

export const PATCH = withApiKey<Params>(
  async ({ db, key, actor, params, body }) => {
    const input = await body(updateSecretBodySchema);
    await updateSecret(db, { orgId: key.organizationId, id: params.id, actor, input });
    return apiJson(secretJson(await getSecretSummary(db, { orgId: key.organizationId, id: params.id, viewer: viewerOfKey(key, actor) })));
  },
  { scope: scopeFor },
);

export const DELETE = withApiKey<Params>(
  async ({ db, key, actor, params }) => {
    await deleteSecret(db, { orgId: key.organizationId, id: params.id, actor });
    return new Response(null, { status: 204 });
  },
  { scope: scopeFor },
);

export const { POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
