// GET /api/v1/{plural}: a page of the organization's resources (cursor, limit); POST: create one (<family>:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { ApiError } from "@/lib/server/api/api-error";
import { resourceRouteType, resourceScope } from "@/lib/server/api/resource-route";
import { listResources } from "@/lib/server/resources/list-resources";
import { createResource } from "@/lib/server/resources/create-resource";
import { resourceApiSchemas, resourceListQuerySchema } from "@/lib/validations/resources";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

type Params = { plural: string };

export const GET = withApiKey<Params>(
  async ({ db, key, params, query }) => {
    const def = resourceRouteType(params.plural);
    const { limit, cursor } = query(resourceListQuerySchema);
    // A key restricted to chosen resources of this type sees only those.
    const page = await listResources(db, { orgId: key.organizationId, type: def.type, limit, cursor, onlyIds: key.restrictions[def.type] });
    return apiJson({ data: page.data, next_cursor: page.nextCursor });
  },
  { scope: resourceScope },
);

export const POST = withApiKey<Params>(
  async ({ db, key, actor, params, body }) => {
    const def = resourceRouteType(params.plural);
    if (key.restrictions[def.type]) {
      throw new ApiError("resource_forbidden", `This key is restricted to chosen ${def.labelPlural.toLowerCase()}, so it cannot create new ones.`);
    }
    const input = await body(resourceApiSchemas(def).create);
    const created = await createResource(db, { orgId: key.organizationId, type: def.type, actor, input });
    return apiJson(created, 201);
  },
  { scope: resourceScope },
);

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
