// GET /api/v1/{plural}/{id}: one resource; PATCH: merge-patch it (<family>:write); DELETE: delete it (<family>:delete).
import type { NextRequest } from "next/server";
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { resourceRouteType, resourceScope } from "@/lib/server/api/resource-route";
import { getResource } from "@/lib/server/resources/get-resource";
import { updateResource } from "@/lib/server/resources/update-resource";
import { deleteResource } from "@/lib/server/resources/delete-resource";
import { resourceTypeByPlural } from "@/lib/resources/registry";
import { resourceApiSchemas } from "@/lib/validations/resources";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

type Params = { plural: string; id: string };

const options = {
  scope: resourceScope,
  // Keys restricted to chosen resources of this type may touch only those (resource_forbidden otherwise).
  resource: (_req: NextRequest, params: Params) => {
    const def = resourceTypeByPlural(params.plural);
    return def ? { type: def.type, id: params.id } : null;
  },
};

export const GET = withApiKey<Params>(async ({ db, key, params }) => {
  const def = resourceRouteType(params.plural);
  return apiJson(await getResource(db, { orgId: key.organizationId, type: def.type, id: params.id }));
}, options);

export const PATCH = withApiKey<Params>(async ({ db, key, actor, params, body }) => {
  const def = resourceRouteType(params.plural);
  const patch = await body(resourceApiSchemas(def).update);
  return apiJson(await updateResource(db, { orgId: key.organizationId, type: def.type, id: params.id, actor, patch }));
}, options);

export const DELETE = withApiKey<Params>(async ({ db, key, actor, params }) => {
  const def = resourceRouteType(params.plural);
  await deleteResource(db, { orgId: key.organizationId, type: def.type, id: params.id, actor });
  return new Response(null, { status: 204 });
}, options);

export const { POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
