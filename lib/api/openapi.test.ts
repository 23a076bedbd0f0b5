import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import { ALL_SCOPES } from "@/lib/api-keys/scopes";
import { API_ERROR_STATUS } from "@/lib/server/api/api-error";
import { RESOURCE_TYPES } from "@/lib/resources/registry";
import { apiRouteFiles, documentedPathsOf, routeHandlers } from "@/test/support/api-routes";
import { apiErrorBodySchema } from "@/lib/server/api/api-error";
import { openApiDocument } from "./openapi";
import { GET as serveDocument } from "@/app/api/v1/openapi.json/route";

type Operation = { security?: Record<string, string[]>[]; description?: string; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }>; headers?: Record<string, unknown> }> };
const doc = openApiDocument() as unknown as { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { description: string }>; headers: Record<string, unknown> } };

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(doc.openapi).toBe("3.1.0");
  });

  it("documents every method of every route file under app/api/v1", async () => {
    const routes = apiRouteFiles();
    expect(routes.map((r) => r.openApiPath)).toContain("/api/v1/keys/{id}/roll");
    for (const route of routes) {
      const methods = Object.keys(await routeHandlers(route));
      expect(methods.length, route.file).toBeGreaterThan(0);
      for (const method of methods) {
        for (const documented of documentedPathsOf(route)) {
          expect(doc.paths[documented]?.[method.toLowerCase()], `${method} ${documented} (${route.file}) is not in the OpenAPI document`).toBeDefined();
        }
      }
    }
  });

  it("answers every other method of a documented path with the API's 405 error and an Allow header naming the documented methods", async () => {
    for (const route of apiRouteFiles()) {
      const served = Object.keys(await routeHandlers(route));
      const refused = await routeHandlers(route, { refused: true });
      // GET, POST, PUT, PATCH and DELETE are each either served or refused here (HEAD and OPTIONS are Next's).
      expect([...served, ...Object.keys(refused)].sort(), route.file).toEqual(["DELETE", "GET", "PATCH", "POST", "PUT"]);
      for (const [method, handler] of Object.entries(refused)) {
        const response = await handler!(new Request(`http://localhost${route.openApiPath}`, { method }), { params: Promise.resolve({}) });
        expect(response.status, `${method} ${route.openApiPath}`).toBe(405);
        expect(apiErrorBodySchema().parse(await response.json()).error.code).toBe("method_not_allowed");
        expect(response.headers.get("x-request-id")).toMatch(/^req_/);
        for (const documented of documentedPathsOf(route)) {
          const methods = Object.keys(doc.paths[documented] ?? {}).filter((m) => ["get", "post", "put", "patch", "delete"].includes(m));
          expect(response.headers.get("allow")?.split(", ").sort(), `${method} ${documented}`).toEqual(methods.map((m) => m.toUpperCase()).sort());
        }
      }
    }
  });

  it("lists the five routes of every registry resource type with its scopes", () => {
    for (const def of RESOURCE_TYPES) {
      const many = doc.paths[`/api/v1/${def.plural}`];
      const one = doc.paths[`/api/v1/${def.plural}/{id}`];
      expect(many?.get?.security).toEqual([{ apiKey: [`${def.scopeFamily}:read`] }]);
      expect(many?.post?.security).toEqual([{ apiKey: [`${def.scopeFamily}:write`] }]);
      expect(one?.get?.security).toEqual([{ apiKey: [`${def.scopeFamily}:read`] }]);
      expect(one?.patch?.security).toEqual([{ apiKey: [`${def.scopeFamily}:write`] }]);
      expect(one?.delete?.security).toEqual([{ apiKey: [`${def.scopeFamily}:${def.hasDeleteScope ? "delete" : "write"}`] }]);
    }
  });

  it("names each operation's scope as a security requirement and in its description", () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const required = op.security?.[0]?.apiKey?.[0];
        if (path === "/api/v1/openapi.json" || path === "/api/v1/health/secrets") {
          expect(op.security).toEqual([]);
          continue;
        }
        // Inbound webhooks carry a signature, never a key (README "Surface matrix").
        if (path.startsWith("/api/v1/integrations/")) {
          expect(op.security, `${method} ${path}`).toEqual([]);
          expect(op.description, `${method} ${path}`).toMatch(/must be signed/);
          continue;
        }
        expect(op.security, `${method} ${path}`).toHaveLength(1);
        if (required) expect(op.description, `${method} ${path}`).toContain(`\`${required}\``);
        else expect(op.description, `${method} ${path}`).toMatch(/Required scope: none/);
      }
    }
  });

  it("contains every scope of the catalogue and every error code", () => {
    const text = JSON.stringify(doc);
    const catalogue = doc.components.securitySchemes.apiKey.description;
    for (const scope of ALL_SCOPES) expect(catalogue, scope).toContain(`\`${scope}\``);
    const errorEnum = (doc.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } }).properties.error.properties.code.enum;
    expect(new Set(errorEnum)).toEqual(new Set(Object.keys(API_ERROR_STATUS)));
    for (const [code, status] of Object.entries(API_ERROR_STATUS)) {
      const schema = doc.components.schemas[`Error${status}`] as { properties: { error: { properties: { code: { enum: string[] } } } } };
      expect(schema.properties.error.properties.code.enum, code).toContain(code);
      expect((doc as unknown as { info: { description: string } }).info.description, code).toContain(`| \`${code}\` | ${status} |`);
      // 405 comes from Next.js for a method a route does not export, not from an operation.
      if (status !== 405) expect(text.includes(`"#/components/schemas/Error${status}"`), `no response uses Error${status}`).toBe(true);
    }
  });

  it("documents the request id header on every answer and the RateLimit headers on keyed answers", () => {
    expect(Object.keys(doc.components.headers)).toEqual(expect.arrayContaining(["X-Request-Id", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"]));
    for (const [path, item] of Object.entries(doc.paths)) {
      if (path === "/api/v1/openapi.json" || path === "/api/v1/health/secrets") continue;
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses)) {
          expect(response.headers?.["X-Request-Id"], `${method} ${path} ${status}`).toEqual({ $ref: "#/components/headers/X-Request-Id" });
          // Keyed answers only: a signed inbound webhook has no key and no per-key limit.
          if (status.startsWith("2") && op.security?.length !== 0) expect(response.headers?.["RateLimit-Remaining"], `${method} ${path} ${status}`).toBeDefined();
          if (status === "429") expect(response.headers?.["Retry-After"]).toBeDefined();
        }
      }
    }
  });

  it("is served publicly and cacheably at GET /api/v1/openapi.json", async () => {
    const response = await serveDocument();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/public/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
