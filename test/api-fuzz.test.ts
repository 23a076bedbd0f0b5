import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { apiRouteFiles, routeHandlers, type ApiRouteFile, type HttpMethod } from "@/test/support/api-routes";
import { ALL_SCOPES } from "@/lib/api-keys/scopes";
import { BASE62, formatKey } from "@/lib/api-keys/key-format";
import { RESOURCE_TYPES } from "@/lib/resources/registry";
import { API_ERROR_STATUS, apiErrorBodySchema } from "@/lib/server/api/api-error";
import type { SystemActor } from "@/lib/server/audit/actor";

// Every route handler under app/api/v1 (found by walking the folder, so a new
// route is fuzzed without touching this file), called with real Request
// objects built from random methods, headers, Authorization values, ids, query
// strings and bodies, against a real database. No answer may be a 500, and
// every error must be the API's error body with its request id header.

const RUNS_PER_ROUTE = 150;
const actor: SystemActor = { kind: "system", label: "api fuzz set-up" };
const errorBody = apiErrorBodySchema();

let t: TestDb;
const keys = { valid: [] as string[], otherOrg: [] as string[], revokedOrExpired: [] as string[] };
const ids = { ownKeys: [] as string[], otherOrgKeys: [] as string[], ownResources: [] as string[], webhooks: [] as string[], secrets: [] as string[] };
let routes: { route: ApiRouteFile; handlers: Partial<Record<HttpMethod, (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response> | Response>> }[] = [];

beforeAll(async () => {
  t = await createTestDb();
  // The routes reach the database through the app's own client (getDb), configured like the server: by DATABASE_URL.
  process.env.DATABASE_URL = t.url;
  // Enough for every run to pass the rate limit, so the fuzz reaches the handlers behind it.
  process.env.API_KEY_RATE_LIMIT_PER_MINUTE = "1000000";
  const { createApiKey } = await import("@/lib/server/api-keys/create-api-key");
  const { revokeApiKey } = await import("@/lib/server/api-keys/revoke-api-key");

  const acme = await seedOrg(t.db, "Acme", [
    { email: "owner@fuzz.test", role: "owner" },
    { email: "member@fuzz.test", role: "member" },
  ]);
  const globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  const issue = async (orgId: string, ownerId: string, scopes: string[], extra: { allowedCidrs?: readonly string[] } = {}) =>
    createApiKey(t.db, { orgId, actor, ownerId, name: `fuzz ${scopes.join(" ")}`, scopes, ...extra });

  const owner = acme.users["owner@fuzz.test"].userId;
  const member = acme.users["member@fuzz.test"].userId;
  for (const [ownerId, scopes, extra] of [
    [owner, ["*"], {}],
    [owner, ["keys:manage"], {}],
    [owner, ["props:read", "marquees:write"], {}],
    [member, ["props:write", "agents:delete"], {}],
    [owner, ["keys:manage"], { allowedCidrs: ["198.51.100.0/24"] }],
  ] as const) {
    const created = await issue(acme.orgId, ownerId, [...scopes], extra);
    keys.valid.push(created.raw);
  }
  // Keys DELETE and roll may act on: spare ones (revoking the keys the fuzz authenticates with would end it early).
  for (let i = 0; i < 8; i++) ids.ownKeys.push((await issue(acme.orgId, owner, ["props:read"])).key.id);
  const revoked = await issue(acme.orgId, owner, ["*"]);
  await revokeApiKey(t.db, { keyId: revoked.key.id, authority: { orgId: acme.orgId, userId: owner, manageAll: true }, actor });
  const expired = await issue(acme.orgId, owner, ["*"]);
  await t.sql(`UPDATE "ApiKey" SET "expiresAt" = ? WHERE "id" = ?`, new Date(Date.now() - 60_000), expired.key.id);
  keys.revokedOrExpired.push(revoked.raw, expired.raw);
  const foreign = await issue(globex.orgId, globex.users["owner@globex.test"].userId, ["*"]);
  keys.otherOrg.push(foreign.raw);
  ids.otherOrgKeys.push(foreign.key.id);

  // Resources of every type, so get/patch/delete by id reach existing records too.
  // Three of each, and of webhooks and secrets below: a random DELETE early in the run must not leave a route only 404s.
  for (const def of RESOURCE_TYPES) {
    for (let i = 0; i < 3; i++) {
      const row = await t.db.platformResource.create({ data: { id: `fuzz-${def.type}-${i}`, organizationId: acme.orgId, type: def.type, name: `seeded-${def.type}-${i}`, data: "{}", createdById: owner, updatedById: owner } });
      ids.ownResources.push(row.id);
    }
  }

  // Webhook endpoints too, so /api/v1/webhooks/{id}/… reach existing records.
  const { createWebhookEndpoint } = await import("@/lib/server/webhooks/create-webhook-endpoint");
  for (let i = 0; i < 5; i++) ids.webhooks.push((await createWebhookEndpoint(t.db, { orgId: acme.orgId, actor, input: { url: `https://hooks.example.com/fuzz-${i}` } })).endpoint.id);
  // And secrets, for /api/v1/secrets/{id}/….
  const { createSecret } = await import("@/lib/server/secrets/create-secret");
  for (let i = 0; i < 5; i++) ids.secrets.push((await createSecret(t.db, { orgId: acme.orgId, actor, input: { name: `FUZZ_${i}`, value: `fuzz value ${i}`, scope: "organization", category: "integration" } })).id);

  for (const route of apiRouteFiles()) routes.push({ route, handlers: await routeHandlers(route) });
}, 120_000);

afterAll(async () => {
  const { getDb } = await import("@/lib/server/db/client");
  const { keyUsageFor } = await import("@/lib/server/api-keys/key-usage");
  // The usage counters are written every 500 ms: finish that before the database goes.
  await keyUsageFor(getDb()).flush();
  await getDb().$disconnect();
  await t.cleanup();
});

const base62 = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...BASE62), minLength: min, maxLength: max });

// Built after the keys exist (beforeAll).
const authorization = () => fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...["valid", "otherOrg", "revokedOrExpired"]).chain((kind) => fc.constantFrom(...keys[kind as keyof typeof keys]).map((k) => `Bearer ${k}`)),
  // Mostly keys that work, so the fuzz gets past the guard into the handlers (the full-access key twice as often).
  { arbitrary: fc.constantFrom(keys.valid[0], ...keys.valid).map((k) => `Bearer ${k}`), weight: 8 },
  base62(32, 32).map((body) => `Bearer ${formatKey(body)}`),
  base62(0, 60).map((s) => `Bearer gat_${s}`),
  fc.tuple(fc.constantFrom("Bearer ", "bearer  ", "Basic ", "Bearer\t", "", "Token "), fc.string({ maxLength: 80 })).map(([scheme, s]) => `${scheme}${s}`),
  fc.constantFrom(...keys.valid).map((k) => `Bearer ${k} extra`),
);

/** Ids of records of the kind a route acts on (most of the time), so the fuzz reaches existing records, not only 404s. */
function idsFor(route: ApiRouteFile): string[] {
  if (route.openApiPath.startsWith("/api/v1/keys")) return ids.ownKeys;
  if (route.openApiPath.startsWith("/api/v1/webhooks")) return ids.webhooks;
  if (route.openApiPath.startsWith("/api/v1/secrets")) return ids.secrets;
  return ids.ownResources;
}

const id = (route: ApiRouteFile) => fc.oneof(
  { arbitrary: fc.constantFrom(...idsFor(route)), weight: 4 },
  fc.constantFrom(...ids.ownKeys, ...ids.otherOrgKeys, ...ids.ownResources, ...ids.webhooks, ...ids.secrets),
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.constantFrom("..", "%2e%2e", "null", "0", "-1", "' OR 1=1 --", "a".repeat(500), "\u0000", "😀"),
);

/** Bodies that look like what routes expect (to get past the parse into domain code) and that do not. */
function bodyFor(): fc.Arbitrary<{ contentType?: string; text?: string }> {
  const scope = fc.oneof(fc.constantFrom(...ALL_SCOPES), fc.string({ maxLength: 20 }));
  const plausible = fc.oneof(
    fc.record(
      {
        name: fc.string({ maxLength: 120 }),
        scopes: fc.array(scope, { maxLength: 5 }),
        expires_at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.constant(null)),
        no_expiry: fc.boolean(),
        allowed_cidrs: fc.array(fc.oneof(fc.ipV4().map((ip) => `${ip}/24`), fc.ipV6(), fc.string({ maxLength: 30 })), { maxLength: 3 }),
        rate_limit_per_minute: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 10 }), fc.constant(null)),
        agent_id: fc.oneof(fc.string({ maxLength: 70 }), fc.constant(null)),
        restrictions: fc.dictionary(fc.oneof(fc.constantFrom(...RESOURCE_TYPES.map((r) => r.type)), fc.string({ maxLength: 10 })), fc.array(fc.string({ maxLength: 70 }), { maxLength: 3 })),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        key: fc.oneof(fc.constantFrom(...keys.valid, ...keys.otherOrg, ...keys.revokedOrExpired), fc.string({ maxLength: 60 })),
        scope,
        resource: fc.record({ type: fc.oneof(fc.constantFrom(...RESOURCE_TYPES.map((r) => r.type)), fc.string()), id: fc.string({ maxLength: 70 }) }, { requiredKeys: [] }),
        ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 70 })),
      },
      { requiredKeys: [] },
    ),
    fc.record({ grace_hours: fc.oneof(fc.double(), fc.integer(), fc.string()) }, { requiredKeys: [] }),
    fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  );
  // Bodies each key route accepts, so the fuzz also runs its domain function, not only the parse.
  const accepted = fc.oneof(
    // A resource's create or patch body (types with required fields beyond the name answer 400).
    fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).map((n) => `fuzz-${n}`) }),
    fc.record(
      {
        name: fc.string({ minLength: 1, maxLength: 30 }).map((n) => `fuzz ${n}`),
        scopes: fc.subarray(["props:read", "props:write", "marquees:read", "agents:delete"], { minLength: 1 }),
        expires_at: fc.integer({ min: -5, max: 400 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
        rate_limit_per_minute: fc.oneof(fc.integer({ min: -10, max: 100_000 }), fc.constant("12")),
        allowed_cidrs: fc.array(fc.oneof(fc.ipV4(), fc.constant("10.0.0.0/8"), fc.constant("10.0.0.1/8")), { maxLength: 2 }),
      },
      { requiredKeys: ["name", "scopes"] },
    ),
    fc.record({ key: fc.constantFrom(...keys.valid, ...keys.otherOrg, ...keys.revokedOrExpired), scope: fc.constantFrom(...ALL_SCOPES), ip: fc.ipV4() }, { requiredKeys: ["key"] }),
    fc.record({ grace_hours: fc.integer({ min: 0, max: 168 }) }, { requiredKeys: [] }),
  );
  return fc.oneof(
    fc.constant({}),
    { arbitrary: accepted.map((v) => ({ contentType: "application/json", text: JSON.stringify(v) })), weight: 4 },
    plausible.map((v) => ({ contentType: "application/json", text: JSON.stringify(v) })),
    fc.tuple(fc.constantFrom("application/json", "application/merge-patch+json", "application/json; charset=utf-8"), fc.jsonValue({ maxDepth: 3 })).map(([contentType, v]) => ({ contentType, text: JSON.stringify(v) })),
    fc.tuple(fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", undefined), fc.string({ maxLength: 200 })).map(([contentType, text]) => ({ contentType, text })),
    fc.constant({ contentType: "application/json", text: `{"name":"${"x".repeat(1_000_100)}"}` }),
  );
}

const headerName = fc.constantFrom("x-forwarded-for", "x-gatehouse-peer", "user-agent", "cookie", "accept", "x-request-id", "origin", "x-custom");
const request = (route: ApiRouteFile, methods: HttpMethod[]) =>
  fc.record({
    method: fc.constantFrom(...methods),
    authorization: authorization(),
    headers: fc.dictionary(headerName, fc.string({ unit: "grapheme-ascii", maxLength: 60 }), { maxKeys: 3 }),
    // `[plural]` is mostly a real resource type (so the resource routes are reached), sometimes anything.
    params: fc.record(
      Object.fromEntries(
        route.params.map((p) => [p, p === "plural" ? fc.oneof({ arbitrary: fc.constantFrom(...RESOURCE_TYPES.map((r) => r.plural)), weight: 9 }, { arbitrary: id(route), weight: 1 }) : id(route)]),
      ),
    ),
    query: fc.dictionary(fc.oneof(fc.constantFrom("limit", "cursor", "scope"), fc.string({ maxLength: 10 })), fc.string({ maxLength: 40 }), { maxKeys: 3 }),
    body: bodyFor(),
  });

describe("fuzzing /api/v1", () => {
  it("finds the route files", () => {
    expect(routes.map((r) => r.route.openApiPath)).toEqual(expect.arrayContaining(["/api/v1/me", "/api/v1/keys", "/api/v1/keys/{id}", "/api/v1/keys/{id}/roll", "/api/v1/keys/verify"]));
  });

  it("never answers 500, and every error is the API's error body with a request id", { timeout: 240_000 }, async () => {
    const seen = new Map<string, Set<number>>();
    for (const { route, handlers } of routes) {
      const methods = Object.keys(handlers) as HttpMethod[];
      await fc.assert(
        fc.asyncProperty(request(route, methods), async (input) => {
          const path = route.openApiPath.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.params[name] ?? ""));
          const url = new URL(`http://localhost:3000${path}`);
          for (const [k, v] of Object.entries(input.query)) url.searchParams.append(k, v);
          const headers = new Headers();
          for (const [k, v] of Object.entries(input.headers)) headers.set(k, v);
          if (input.authorization !== undefined) headers.set("authorization", input.authorization);
          const hasBody = input.method !== "GET" && input.method !== "HEAD" && input.body.text !== undefined;
          if (hasBody && input.body.contentType) headers.set("content-type", input.body.contentType);
          const req = new NextRequest(url, { method: input.method, headers, body: hasBody ? input.body.text : undefined });
          // As Next.js calls them: a route without dynamic segments gets no params object at all.
          const params = route.params.length > 0 ? input.params : undefined;
          const response = await handlers[input.method]!(req, { params: Promise.resolve(params as Record<string, string>) });
          const label = `${input.method} ${path} → ${response.status}`;
          const statuses = seen.get(`${input.method} ${route.openApiPath}`) ?? new Set<number>();
          seen.set(`${input.method} ${route.openApiPath}`, statuses.add(response.status));
          expect(response.status, label).toBeLessThan(500);
          if (response.status >= 400) {
            const parsed = errorBody.safeParse(await response.json());
            expect(parsed.success, `${label}: ${parsed.success ? "" : parsed.error.message}`).toBe(true);
            if (!parsed.success) return;
            expect(API_ERROR_STATUS[parsed.data.error.code], label).toBe(response.status);
            expect(response.headers.get("x-request-id"), label).toBe(parsed.data.error.request_id);
          } else if (route.openApiPath !== "/api/v1/openapi.json") {
            expect(response.headers.get("x-request-id"), label).toMatch(/^req_/);
          }
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    // Not a vacuous pass: every operation was reached past the key check, and most got as far as answering
    // success (random input reaches success on some operations only by luck, so not all are required).
    const summary = Object.fromEntries([...seen].map(([op, statuses]) => [op, [...statuses].sort()]));
    for (const [op, statuses] of Object.entries(summary)) expect(statuses.some((s) => s !== 401), `${op} never got past the key check: ${statuses}`).toBe(true);
    const succeeded = Object.values(summary).filter((statuses) => statuses.some((s) => s < 300)).length;
    expect(succeeded, JSON.stringify(summary)).toBeGreaterThanOrEqual(Math.ceil(Object.keys(summary).length / 2));
    console.info("api fuzz statuses", JSON.stringify(summary));
  });
});
