import "server-only";
import type { NextRequest } from "next/server";
import { resourceTypeByPlural, type ResourceDefinition } from "@/lib/resources/registry";
import { ApiError } from "./api-error";

/** The registry entry behind `/api/v1/<plural>`; an unknown plural is a 404 like a missing resource. */
export function resourceRouteType(plural: string): ResourceDefinition {
  const def = resourceTypeByPlural(plural);
  if (!def) throw new ApiError("not_found", `There is no /api/v1/${plural.slice(0, 40)} collection.`);
  return def;
}

/**
 * The scope a resource route needs: `<family>:read` to read, `:write` to
 * create and update, `:delete` to delete (`:write` for families without a
 * delete verb). Null for an unknown plural: the handler answers 404.
 */
export function resourceScope(req: NextRequest, params: { plural: string }): string | null {
  const def = resourceTypeByPlural(params.plural);
  if (!def) return null;
  if (req.method === "GET" || req.method === "HEAD") return `${def.scopeFamily}:read`;
  if (req.method === "DELETE") return `${def.scopeFamily}:${def.hasDeleteScope ? "delete" : "write"}`;
  return `${def.scopeFamily}:write`;
}
