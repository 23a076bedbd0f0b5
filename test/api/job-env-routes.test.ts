import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Db } from "@/lib/server/db/client";
import type { SystemActor } from "@/lib/server/audit/actor";

// The route modules as Next.js runs them: real Requests, real keys, getDb() on this file's database.
let t: TestDb;
let db: Db;
let collection: typeof import("@/app/api/v1/job_env/route");
let item: typeof import("@/app/api/v1/job_env/[id]/route");
let resolve: typeof import("@/app/api/v1/props/[id]/job_env/resolve/route");
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const keys: Record<string, string> = {};
let propId: string;
let foreignPropId: string;
const system: SystemActor = { kind: "system", label: "test set-up" };
const SECRET = "sv-route-db-password-5e1f";

async function issue(orgId: string, ownerId: string, scopes: string[]) {
  const { createApiKey } = await import("@/lib/server/api-keys/create-api-key");
  return (await createApiKey(db, { orgId, actor: system, ownerId, name: `key ${scopes.join(" ")}`, scopes, restrictions: {} })).raw;
}

function req(method: string, path: string, key: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  return new NextRequest(`http://localhost:3000/api/v1/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function read(res: Response) {
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  db = (await import("@/lib/server/db/client")).getDb();
  collection = await import("@/app/api/v1/job_env/route");
  item = await import("@/app/api/v1/job_env/[id]/route");
  resolve = await import("@/app/api/v1/props/[id]/job_env/resolve/route");
  acme = await seedOrg(db, "Acme", [{ email: "o@acme.test", role: "owner" }, { email: "m@acme.test", role: "member" }]);
  globex = await seedOrg(db, "Globex", [{ email: "g@globex.test", role: "owner" }]);
  const { createSecret } = await import("@/lib/server/secrets/create-secret");
  const { createResource } = await import("@/lib/server/resources/create-resource");
  await createSecret(db, { orgId: acme.orgId, actor: system, input: { name: "DB_PASSWORD", category: "infrastructure", value: SECRET, scope: "organization" } });
  propId = (await createResource(db, { orgId: acme.orgId, type: "prop", actor: system, input: { name: "api" } })).id;
  foreignPropId = (await createResource(db, { orgId: globex.orgId, type: "prop", actor: system, input: { name: "api" } })).id;
  const owner = acme.users["o@acme.test"].userId;
  keys.write = await issue(acme.orgId, owner, ["job_env:write", "job_env:delete"]);
  keys.read = await issue(acme.orgId, owner, ["job_env:read"]);
  keys.manage = await issue(acme.orgId, owner, ["job_env:manage"]);
  keys.memberRead = await issue(acme.orgId, acme.users["m@acme.test"].userId, ["job_env:read"]);
  keys.globex = await issue(globex.orgId, globex.users["g@globex.test"].userId, ["job_env:manage"]);
});
afterAll(() => t.cleanup());

describe("/api/v1/job_env", () => {
  it("creates, lists, updates and deletes under job_env:write/read/delete; read cannot write", async () => {
    const created = await read(await collection.POST(req("POST", "job_env", keys.write, { name: "PGPASSWORD", value: "{{secrets.DB_PASSWORD}}" }), { params: Promise.resolve({}) }));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "PGPASSWORD", scope: "organization", value: "{{secrets.DB_PASSWORD}}" });
    expect(JSON.stringify(created.json)).not.toContain(SECRET);
    const override = await read(await collection.POST(req("POST", "job_env", keys.write, { name: "MODE", value: "prod", prop_id: propId }), { params: Promise.resolve({}) }));
    expect(override.json).toMatchObject({ scope: "prop", prop_id: propId, prop_name: "api" });
    expect((await read(await collection.POST(req("POST", "job_env", keys.read, { name: "X", value: "1" }), { params: Promise.resolve({}) }))).status).toBe(403);
    const list = await read(await collection.GET(req("GET", "job_env", keys.memberRead), { params: Promise.resolve({}) }));
    expect(list.json.data.map((v: { name: string }) => v.name)).toEqual(["PGPASSWORD", "MODE"]);
    const patched = await read(await item.PATCH(req("PATCH", `job_env/${override.json.id}`, keys.write, { value: "staging" }), { params: Promise.resolve({ id: override.json.id }) }));
    expect(patched.json.value).toBe("staging");
    expect((await read(await item.DELETE(req("DELETE", `job_env/${override.json.id}`, keys.write), { params: Promise.resolve({ id: override.json.id }) }))).status).toBe(204);
  });

  it("an unknown reference is a 400 validation_failed at save, naming the reference", async () => {
    const res = await read(await collection.POST(req("POST", "job_env", keys.write, { name: "BAD", value: "{{secrets.NOT_THERE}}" }), { params: Promise.resolve({}) }));
    expect(res.status).toBe(400); // the API answers validation_failed with 400 everywhere (API_ERROR_STATUS)
    expect(res.json.error.code).toBe("validation_failed");
    expect(JSON.stringify(res.json)).toContain("NOT_THERE");
  });

  it("resolve returns values under job_env:manage only, validation_failed when a reference stopped resolving, 404 for another organization's Prop", async () => {
    const call = (key: string, id = propId) => resolve.POST(req("POST", `props/${id}/job_env/resolve`, key), { params: Promise.resolve({ id }) }).then(read);
    expect((await call(keys.read)).status).toBe(403);
    const ok = await call(keys.manage);
    expect(ok.status).toBe(200);
    expect(ok.json.env).toEqual({ PGPASSWORD: SECRET });
    expect(ok.json.variables).toEqual([{ name: "PGPASSWORD", source: "organization", secrets: [{ name: "DB_PASSWORD", scope: "organization" }] }]);
    expect((await call(keys.globex, propId)).status).toBe(404);
    expect((await call(keys.manage, foreignPropId)).status).toBe(404);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "job_env.resolved" } });
    expect(audit.metadata).toContain("PGPASSWORD");
    expect(audit.metadata).not.toContain(SECRET);
    // the secret goes away: the next resolve is refused, not answered with a hole
    await t.sql(`DELETE FROM "Secret" WHERE "name" = ?`, "DB_PASSWORD");
    const refused = await call(keys.manage);
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe("validation_failed");
  });
});
