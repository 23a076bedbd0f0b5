import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isAppError } from "@/lib/server/errors";
import { SecretsBackendError } from "@/lib/server/secrets/backends/types";
import { isDatabaseUnavailable, isDatabaseUnreachable } from "@/lib/server/db/availability";
import { DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_ACTION_MESSAGE } from "@/lib/database-outage";

/** Every error code of the REST API with its HTTP status (README "REST API"; the OpenAPI document lists them too). */
export const API_ERROR_STATUS = {
  key_missing: 401,
  key_invalid: 401,
  key_revoked: 401,
  key_expired: 401,
  signature_invalid: 401,
  insufficient_scope: 403,
  resource_forbidden: 403,
  ip_not_allowed: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  validation_failed: 400,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export type ApiErrorDetail = { path: string; message: string };

export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as [ApiErrorCode, ...ApiErrorCode[]];

/** The body of every error answer (the OpenAPI document and the API fuzz test use it); `codes` narrows `code`. */
export function apiErrorBodySchema(codes: readonly ApiErrorCode[] = API_ERROR_CODES) {
  return z
    .object({
      error: z
        .object({
          code: z.enum(codes as [ApiErrorCode, ...ApiErrorCode[]]),
          message: z.string().min(1),
          request_id: z.string().regex(/^req_[A-Za-z0-9_-]+$/),
          details: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
        })
        .strict(),
    })
    .strict();
}

/** An expected refusal of an API request; turned into the error JSON by withApiKey. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ApiErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const KEY_MESSAGES: Record<"key_missing" | "key_invalid" | "key_revoked" | "key_expired" | "ip_not_allowed", string> = {
  key_missing: "Send an API key as `Authorization: Bearer gat_…`.",
  key_invalid: "The API key is not valid.",
  key_revoked: "The API key has been revoked.",
  key_expired: "The API key has expired.",
  ip_not_allowed: "The API key may not be used from this IP address.",
};

/** A new request id; randomUUID draws from a pooled buffer of entropy, unlike randomBytes (a system call per request). */
export function newRequestId(): string {
  return `req_${randomUUID().replaceAll("-", "")}`;
}

/** `{"error": {"code", "message", "request_id", "details"?}}` with the code's status. Never a stack trace. */
export function errorResponse(error: ApiError, requestId: string, headers: Record<string, string> = {}): Response {
  return Response.json(
    { error: { code: error.code, message: error.message, request_id: requestId, ...(error.details ? { details: error.details } : {}) } },
    { status: API_ERROR_STATUS[error.code], headers: { ...headers, ...error.headers, "X-Request-Id": requestId, "Cache-Control": "no-store" } },
  );
}

/** Domain errors (AppError) as API errors; anything else is a bug, logged and answered as `internal`. */
export function toApiError(error: unknown, requestId: string): ApiError {
  if (error instanceof ApiError) return error;
  if (isAppError(error)) {
    const details = error.details?.fieldErrors
      ? Object.entries(error.details.fieldErrors).flatMap(([path, messages]) => messages.map((message) => ({ path, message })))
      : undefined;
    switch (error.code) {
      case "not_found":
        return new ApiError("not_found", error.message);
      case "validation_failed":
        return new ApiError("validation_failed", error.message, details);
      case "conflict":
      case "last_owner":
        return new ApiError("conflict", error.message, details);
      case "rate_limited":
        return new ApiError("rate_limited", error.message, undefined, { "Retry-After": String(error.details?.retryAfterSeconds ?? 60) });
      default:
        return new ApiError("forbidden", error.message);
    }
  }
  // The secrets backend (AWS, Vault): a conflict is the caller's to resolve; anything else is its outage.
  if (error instanceof SecretsBackendError) return error.reason === "conflict" ? new ApiError("conflict", error.message) : new ApiError("unavailable", error.message, undefined, { "Retry-After": "30" });
  if (isDatabaseUnavailable(error) || isDatabaseUnreachable(error)) {
    return new ApiError("unavailable", DATABASE_UNAVAILABLE_ACTION_MESSAGE, undefined, { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) });
  }
  console.error(`[gatehouse] API request ${requestId} failed`, error);
  return new ApiError("internal", "Something went wrong on our side. Nothing was changed; try again.");
}
