import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Db } from "@/lib/server/db/client";
import type { SystemActor } from "@/lib/server/audit/actor";
import type { Restrictions } from "@/lib/server/api-keys/key-settings";

// The route modules as Next.js runs them: real Requests, real keys, the app's own
// getDb() pointed at this file's test database through DATABASE_URL.
let t: TestDb;
let db: Db;
let collection: typeof import("@/app/api/v1/[plural]/route");
let item: typeof import("@/app/api/v1/[plural]/[id]/route");
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const keys: Record<string, string> = {};
let propA: { id: string };
let propB: { id: string };
let foreignProp: { id: string };

const system: SystemActor = { kind: "system", label: "test set-up" };

async function issue(orgId: string, ownerId: string, scopes: string[], restrictions: Restrictions = {}) {
  const { createApiKey } = await import("@/lib/server/api-keys/create-api-key");
  return (await createApiKey(db, { orgId, actor: system, ownerId, name: `key ${scopes.join(" ")}`, scopes, restrictions })).raw;
}

function request(method: string, path: string, key: string | null, body?: string, contentType = "application/json") {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = contentType;
  return new NextRequest(`http://localhost:3000/api/v1/${path}`, { method, headers, body });
}

async function call(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, key: string | null, body?: unknown) {
  const [plural, id, ...rest] = path.split("?")[0].split("/");
  expect(rest).toEqual([]);
  const req = request(method, path, key, body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body));
  let res: Response;
  if (id === undefined) {
    const handler = method === "GET" ? collection.GET : method === "POST" ? collection.POST : null;
    if (!handler) throw new Error(`no ${method} on collections`);
    res = await handler(req, { params: Promise.resolve({ plural }) });
  } else {
    const handler = method === "GET" ? item.GET : method === "PATCH" ? item.PATCH : method === "DELETE" ? item.DELETE : null;
    if (!handler) throw new Error(`no ${method} on items`);
    res = await handler(req, { params: Promise.resolve({ plural, id }) });
  }
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, requestId: res.headers.get("x-request-id") };
}

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  const { getDb } = await import("@/lib/server/db/client");
  db = getDb();
  collection = await import("@/app/api/v1/[plural]/route");
  item = await import("@/app/api/v1/[plural]/[id]/route");
  acme = await seedOrg(db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "auditor@acme.test", role: "auditor" },
  ]);
  globex = await seedOrg(db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  const ownerId = acme.users["owner@acme.test"].userId;
  const { createResource } = await import("@/lib/server/resources/create-resource");
  propA = await createResource(db, { orgId: acme.orgId, type: "prop", actor: system, input: { name: "alpha" } });
  propB = await createResource(db, { orgId: acme.orgId, type: "prop", actor: system, input: { name: "beta" } });
  foreignProp = await createResource(db, { orgId: globex.orgId, type: "prop", actor: system, input: { name: "theirs" } });
  keys.full = await issue(acme.orgId, ownerId, ["props:read", "props:write", "props:delete", "import_templates:read", "import_templates:write"]);
  keys.readOnly = await issue(acme.orgId, ownerId, ["props:read"]);
  keys.marquees = await issue(acme.orgId, ownerId, ["marquees:manage"]);
  keys.restricted = await issue(acme.orgId, ownerId, ["props:read", "props:write", "props:delete"], { prop: [propA.id] });
  keys.auditor = await issue(acme.orgId, acme.users["auditor@acme.test"].userId, ["props:read"]);
});
afterAll(async () => {
  // Write the usage counters now, while the database still exists (they are flushed on a timer).
  const { keyUsageFor } = await import("@/lib/server/api-keys/key-usage");
  if (db) await keyUsageFor(db).flush();
  await db?.$disconnect();
  await t.cleanup();
});

describe("allowed requests", () => {
  it("create, list, get, patch and delete a prop, each audited as the key with its request id", async () => {
    const created = await call("POST", "props", keys.full, { name: "gamma", repository_url: "https://git.example.com/g.git" });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ type: "prop", name: "gamma", default_branch: "main", repository_url: "https://git.example.com/g.git" });
    const event = (await db.auditEvent.findMany({ where: { organizationId: acme.orgId, action: "prop.created", resourceId: created.json.id } }))[0];
    expect(event).toMatchObject({ actorType: "api_key", outcome: "success" });
    expect(event.apiKeyId).toBeTruthy();
    expect(JSON.parse(event.metadata).request_id).toBe(created.requestId);

    const list = await call("GET", "props?limit=2", keys.full);
    expect(list.status).toBe(200);
    expect(list.json.data.map((p: { name: string }) => p.name)).toEqual(["gamma", "beta"]);
    const next = await call("GET", `props?limit=2&cursor=${list.json.next_cursor}`, keys.full);
    expect(next.json).toMatchObject({ data: [{ name: "alpha" }], next_cursor: null });

    expect((await call("GET", `props/${created.json.id}`, keys.readOnly)).json).toMatchObject({ name: "gamma" });
    const patched = await call("PATCH", `props/${created.json.id}`, keys.full, { default_branch: "trunk", description: null });
    expect(patched).toMatchObject({ status: 200, json: { default_branch: "trunk" } });
    expect((await call("DELETE", `props/${created.json.id}`, keys.full)).status).toBe(204);
    expect((await call("GET", `props/${created.json.id}`, keys.full)).status).toBe(404);
  });

  it("a family without a delete verb deletes with :write", async () => {
    const created = await call("POST", "templates", keys.full, { name: "tpl", format: "json" });
    expect(created.status).toBe(201);
    expect((await call("DELETE", `templates/${created.json.id}`, keys.full)).status).toBe(204);
  });
});

describe("refusals", () => {
  it("insufficient_scope names the scope the request needed", async () => {
    const write = await call("POST", "props", keys.readOnly, { name: "nope" });
    expect(write).toMatchObject({ status: 403, json: { error: { code: "insufficient_scope" } } });
    expect(write.json.error.message).toContain("props:write");
    const del = await call("DELETE", `props/${propB.id}`, keys.readOnly);
    expect(del).toMatchObject({ status: 403, json: { error: { code: "insufficient_scope" } } });
    expect(del.json.error.message).toContain("props:delete");
    expect(await call("GET", "props", keys.marquees)).toMatchObject({ status: 403, json: { error: { code: "insufficient_scope" } } });
    expect(await call("GET", "props", null)).toMatchObject({ status: 401, json: { error: { code: "key_missing" } } });
    expect(await db.platformResource.count({ where: { name: "nope" } })).toBe(0);
  });

  it("an auditor's key reads but cannot write, whatever it claims", async () => {
    expect((await call("GET", "props", keys.auditor)).status).toBe(200);
    // The key was issued with read only; its role would refuse write even with the scope.
    expect(await call("PATCH", `props/${propB.id}`, keys.auditor, { description: "x" })).toMatchObject({ status: 403 });
  });

  it("a restricted key lists and touches only its resources, and cannot create others", async () => {
    const list = await call("GET", "props", keys.restricted);
    expect(list.json.data.map((p: { id: string }) => p.id)).toEqual([propA.id]);
    expect((await call("GET", `props/${propA.id}`, keys.restricted)).status).toBe(200);
    for (const [method, body] of [["GET"], ["PATCH", { description: "x" }], ["DELETE"]] as const) {
      const res = await call(method, `props/${propB.id}`, keys.restricted, body);
      expect(res).toMatchObject({ status: 403, json: { error: { code: "resource_forbidden" } } });
    }
    expect(await call("POST", "props", keys.restricted, { name: "sneaky" })).toMatchObject({ status: 403, json: { error: { code: "resource_forbidden" } } });
    expect((await call("GET", `props/${propB.id}`, keys.full)).json.description).toBeNull();
  });

  it("another organization's id is a 404, exactly like a missing one, and stays untouched", async () => {
    for (const [method, body] of [["GET"], ["PATCH", { name: "stolen" }], ["DELETE"]] as const) {
      const foreign = await call(method, `props/${foreignProp.id}`, keys.full, body);
      const missing = await call(method, "props/does-not-exist", keys.full, body);
      expect(foreign).toMatchObject({ status: 404, json: { error: { code: "not_found", message: "That prop does not exist." } } });
      expect(missing.json.error.message).toBe(foreign.json.error.message);
    }
    expect(await db.platformResource.findUniqueOrThrow({ where: { id: foreignProp.id } })).toMatchObject({ name: "theirs" });
  });

  it("an unknown collection is a 404 not_found", async () => {
    expect(await call("GET", "widgets", keys.full)).toMatchObject({ status: 404, json: { error: { code: "not_found" } } });
    expect(await call("GET", "widgets/abc", keys.full)).toMatchObject({ status: 404, json: { error: { code: "not_found" } } });
  });

  it("bad JSON, bad fields, bad queries and taken names are 4xx with the API's error shape", async () => {
    const badJson = await call("POST", "props", keys.full, "{not json");
    expect(badJson).toMatchObject({ status: 400, json: { error: { code: "validation_failed", details: [{ path: "(body)" }] } } });
    expect(badJson.json.error.request_id).toBe(badJson.requestId);
    const badFields = await call("POST", "props", keys.full, { name: "", default_branch: 3, extra: true });
    expect(badFields.status).toBe(400);
    expect(badFields.json.error.details.map((d: { path: string }) => d.path).sort()).toEqual(expect.arrayContaining(["default_branch", "name"]));
    expect((await call("PATCH", `props/${propB.id}`, keys.full, "[1,2")).status).toBe(400);
    expect((await call("GET", "props?limit=1000", keys.full)).status).toBe(400);
    expect((await call("GET", "props?limit=abc", keys.full)).status).toBe(400);
    expect((await call("GET", "props?cursor=%00%01garbage", keys.full)).json).toMatchObject({ error: { code: "validation_failed" } });
    expect(await call("POST", "props", keys.full, { name: "alpha" })).toMatchObject({ status: 409, json: { error: { code: "conflict" } } });
  });

  it("never answers 500 to arbitrary JSON bodies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("props", "playgrounds", "feedbacks", "marquees"), fc.jsonValue(), async (plural, body) => {
        const created = await call("POST", plural, keys.full, JSON.stringify(body));
        expect([201, 400, 403, 409]).toContain(created.status);
        const patched = await call("PATCH", `props/${propB.id}`, keys.full, JSON.stringify(body));
        expect([200, 400, 409]).toContain(patched.status);
      }),
      { numRuns: 60 },
    );
  });
});
