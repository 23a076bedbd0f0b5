import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { SURFACE_FAMILIES, familyOf, surfaceFiles } from "@/test/support/surface-matrix";
import { apiRouteFiles, routeHandlers } from "@/test/support/api-routes";

// Every route and page file is in the README's surface matrix, and each guarded family
// refuses an unauthenticated request (handler level here; over HTTP in e2e/security/surface-matrix.spec.ts).

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
});
afterAll(async () => {
  await t.cleanup();
});

describe("the surface matrix", () => {
  it("classifies every route and page file under app/", () => {
    const files = surfaceFiles();
    expect(files.length).toBeGreaterThan(40);
    const unclassified = files.filter((f) => familyOf(f.file) === null).map((f) => f.file);
    expect(unclassified, "a route or page file that no family of test/support/surface-matrix.ts claims: add it to the matrix and the README").toEqual([]);
    // The families are what they say: API routes are routes, console entries sit in the (console) group or are its redirects.
    for (const f of files) {
      const family = familyOf(f.file)!;
      if (family.auth === "api_key" || family.auth === "signature") expect(f.url.startsWith("/api/v1/"), f.file).toBe(true);
    }
  });

  it("is published in the README, one row per family", () => {
    const readme = readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Surface matrix"), readme.indexOf("\n## ", readme.indexOf("### Surface matrix")));
    expect(section.length).toBeGreaterThan(100);
    for (const family of SURFACE_FAMILIES) expect(section, family.id).toContain(`| ${family.label} |`);
  });

  it("refuses every served method of every API-key route without a key (401 key_missing)", async () => {
    let checked = 0;
    for (const route of apiRouteFiles()) {
      const rel = path.relative(path.resolve(__dirname, "..", "app"), route.file).split(path.sep).join("/");
      if (familyOf(rel)?.auth !== "api_key") continue;
      const params = Object.fromEntries(route.params.map((p) => [p, p === "plural" ? "props" : "x"]));
      for (const [method, handler] of Object.entries(await routeHandlers(route))) {
        const url = `http://localhost:3000${route.openApiPath.replace(/\{(\w+)\}/g, (_, p: string) => params[p] ?? "x")}`;
        const res = await handler!(new NextRequest(url, { method, headers: { "content-type": "application/json" }, body: method === "GET" || method === "HEAD" ? undefined : "{}" }), { params: Promise.resolve(params) });
        expect(res.status, `${method} ${route.openApiPath}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("key_missing");
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("refuses an inbound webhook without a valid signature, for an existing intake too", async () => {
    const { configureIntegrationIntake } = await import("@/lib/server/integrations/configure-integration-intake");
    const { getDb } = await import("@/lib/server/db/client");
    const acme = await seedOrg(getDb(), "Acme", [{ email: "owner@acme.test", role: "owner" }]);
    const owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, request: testRequest };
    const { POST } = await import("@/app/api/v1/integrations/[provider]/webhook/[intakeId]/route");
    for (const provider of ["github", "gitea", "standard"]) {
      const { intake } = await configureIntegrationIntake(getDb(), { orgId: acme.orgId, actor: owner, provider });
      const res = await POST(new NextRequest(`http://localhost:3000${intake.path}`, { method: "POST", body: "{}" }), { params: Promise.resolve({ provider, intakeId: intake.id }) });
      expect(res.status, provider).toBe(401);
    }
  });
});
