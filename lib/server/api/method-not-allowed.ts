import "server-only";
import { ApiError, errorResponse, newRequestId } from "./api-error";

/** Marks the handlers made here, so tests tell a refused method from a served one. */
export const REFUSES_METHOD = Symbol.for("gatehouse.refusesMethod");

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Handlers for the methods a /api/v1 route does not take, answering the API's
 * 405 JSON error with an `Allow` header (Next's own answer to an unexported
 * method is an empty 405). A route exports the ones it lacks:
 * `export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);`
 */
export function otherMethods(allowed: readonly Method[]): Record<Method, () => Response> {
  const allow = allowed.join(", ");
  const handler = Object.assign(
    () => errorResponse(new ApiError("method_not_allowed", `This path takes ${allow} only.`, undefined, { Allow: allow }), newRequestId()),
    { [REFUSES_METHOD]: true },
  );
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
