import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { getConfig } from "@/lib/server/config";
import { getDb, type Db } from "@/lib/server/db/client";
import { contextFromHeaderBag } from "@/lib/server/request-context";
import type { ApiKeyActor } from "@/lib/server/audit/actor";
import { keyMayUse } from "@/lib/api-keys/scopes";
import { verifyApiKey } from "@/lib/server/api-keys/verify-api-key";
import { keyUsageFor } from "@/lib/server/api-keys/key-usage";
import type { CachedKey } from "@/lib/server/api-keys/key-cache";
import { ApiError, errorResponse, KEY_MESSAGES, newRequestId, toApiError } from "./api-error";

const MAX_BODY_BYTES = 1_000_000;

export interface ApiContext<P> {
  req: NextRequest;
  params: P;
  db: Db;
  key: CachedKey;
  /** For domain functions and audit events: `api_key`, or `agent` when the key belongs to an agent. */
  actor: ApiKeyActor;
  requestId: string;
  /** The JSON body validated with `schema`; malformed JSON or a mismatch is a 400 `validation_failed` with details. */
  body<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
  /** The query string validated with `schema` (values are strings). */
  query<S extends z.ZodType>(schema: S): z.infer<S>;
}

export interface ApiOptions<P> {
  /** The scope the request needs; a function when it depends on the method or parameters. */
  scope: string | null | ((req: NextRequest, params: P) => string | null);
  /** The resource the request acts on, for keys restricted to chosen resources. */
  resource?: (req: NextRequest, params: P) => { type: string; id: string } | null;
}

function zodDetails(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
}

async function readJson(req: NextRequest): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new ApiError("unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new ApiError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("validation_failed", "The body is not valid JSON.", [{ path: "(body)", message: "Not valid JSON." }]);
  }
}

/**
 * Guard a /api/v1 route handler, in this order: key (shape and checksum, then
 * lookup), status, expiry, IP allowlist, rate limit, scope (the key's scopes
 * intersected with its owner's current role), resource restriction; then the
 * handler parses its input and calls one domain function. Every answer
 * carries `X-Request-Id`; after the rate-limit step also `RateLimit-*`.
 * Errors are the API's JSON with a code, never a stack trace.
 */
export function withApiKey<P extends Record<string, string | string[]> = Record<string, never>>(
  handler: (ctx: ApiContext<P>) => Promise<Response>,
  options: ApiOptions<P>,
) {
  return async (req: NextRequest, route: { params: Promise<P> }): Promise<Response> => {
    const requestId = newRequestId();
    let rateHeaders: Record<string, string> = {};
    try {
      const db = getDb();
      const params = await route.params;
      const request = contextFromHeaderBag((name) => req.headers.get(name));
      const authorization = req.headers.get("authorization");
      const presented = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
      const check = await verifyApiKey(db, authorization ? (presented ?? "") : null, request.ip);
      if (!check.ok) throw new ApiError(check.code, KEY_MESSAGES[check.code]);
      const { key } = check;

      const usage = keyUsageFor(db);
      const decision = await usage.consume(key.id, key.rateLimitPerMinute ?? getConfig().apiKeyRateLimitPerMinute);
      rateHeaders = {
        "RateLimit-Limit": String(decision.limit),
        "RateLimit-Remaining": String(decision.remaining),
        "RateLimit-Reset": String(decision.resetSeconds),
      };
      if (!decision.allowed) {
        throw new ApiError("rate_limited", `This key made more than ${decision.limit} requests this minute. Retry after ${decision.resetSeconds} s.`, undefined, {
          "Retry-After": String(decision.resetSeconds),
        });
      }

      const scope = typeof options.scope === "function" ? options.scope(req, params) : options.scope;
      if (scope && !keyMayUse(key.scopes, key.ownerRole, scope)) {
        throw new ApiError("insufficient_scope", `This request needs the scope ${scope}, which this key does not have${key.scopes.length ? "" : " (it has none)"} or its owner's role does not allow.`);
      }
      const target = options.resource?.(req, params) ?? null;
      const allowed = target ? key.restrictions[target.type] : undefined;
      if (target && allowed && !allowed.includes(target.id)) {
        throw new ApiError("resource_forbidden", `This key is restricted to chosen ${target.type} resources, and ${target.id} is not one of them.`);
      }
      // An id no row can have (PostgreSQL refuses NUL in text and would fail the query) is simply not found.
      if (Object.values(params ?? {}).some((v) => (Array.isArray(v) ? v : [v]).some((s) => s.includes("\u0000") || s.length > 200))) {
        throw new ApiError("not_found", "Nothing exists at this address.");
      }
      usage.touch(key.id, request.ip);

      const actor: ApiKeyActor = { kind: "api_key", keyId: key.id, keyName: key.name, ownerId: key.ownerId, agent: key.agent, request, requestId };
      const response = await handler({
        req,
        params,
        db,
        key,
        actor,
        requestId,
        async body(schema) {
          const parsed = schema.safeParse(await readJson(req));
          if (!parsed.success) throw new ApiError("validation_failed", "The body does not match what this endpoint expects.", zodDetails(parsed.error));
          return parsed.data;
        },
        query(schema) {
          const parsed = schema.safeParse(Object.fromEntries(req.nextUrl.searchParams));
          if (!parsed.success) throw new ApiError("validation_failed", "The query string does not match what this endpoint expects.", zodDetails(parsed.error));
          return parsed.data;
        },
      });
      for (const [name, value] of Object.entries({ ...rateHeaders, "X-Request-Id": requestId, "Cache-Control": "no-store" })) response.headers.set(name, value);
      return response;
    } catch (error) {
      return errorResponse(toApiError(error, requestId), requestId, rateHeaders);
    }
  };
}

/** A JSON answer of a route handler. */
export function apiJson(body: unknown, status = 200): Response {
  return Response.json(body, { status });
}
