// GET /api/v1/openapi.json: the OpenAPI 3.1 document of the REST API (public, cacheable).
import { openApiDocument } from "@/lib/api/openapi";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const dynamic = "force-static";

export function GET() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
