import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Db } from "@/lib/server/db/client";
import type { SystemActor } from "@/lib/server/audit/actor";

// The webhook route modules as Next.js runs them: real Requests, real keys, the app's getDb() on this file's database.
let t: TestDb;
let db: Db;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const keys: Record<string, string> = {};
const system: SystemActor = { kind: "system", label: "test set-up" };
type Handler = (req: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
let routes: Record<string, Record<string, Handler>>;

async function call(method: string, route: string, id: string | null, key: string | null, body?: unknown, search = "") {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const path = route.replace("{id}", id ?? "");
  const req = new NextRequest(`http://localhost:3000/api/v1/${path}${search}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await routes[route][method](req, { params: Promise.resolve<Record<string, string>>(id ? { id } : {}) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  const { getDb } = await import("@/lib/server/db/client");
  db = getDb();
  routes = {
    webhooks: await import("@/app/api/v1/webhooks/route"),
    "webhooks/{id}": await import("@/app/api/v1/webhooks/[id]/route"),
    "webhooks/{id}/rotate-secret": await import("@/app/api/v1/webhooks/[id]/rotate-secret/route"),
    "webhooks/{id}/test": await import("@/app/api/v1/webhooks/[id]/test/route"),
    "webhooks/{id}/deliveries": await import("@/app/api/v1/webhooks/[id]/deliveries/route"),
    "webhooks/{id}/redeliver": await import("@/app/api/v1/webhooks/[id]/redeliver/route"),
  } as unknown as Record<string, Record<string, Handler>>;
  acme = await seedOrg(db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "member@acme.test", role: "member" },
  ]);
  globex = await seedOrg(db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  const { createApiKey } = await import("@/lib/server/api-keys/create-api-key");
  const issue = async (orgId: string, ownerId: string, scopes: string[]) => (await createApiKey(db, { orgId, actor: system, ownerId, name: `k ${scopes.join(" ")}`, scopes })).raw;
  keys.full = await issue(acme.orgId, acme.users["owner@acme.test"].userId, ["webhooks:read", "webhooks:write", "webhooks:delete"]);
  keys.read = await issue(acme.orgId, acme.users["owner@acme.test"].userId, ["webhooks:read"]);
  keys.props = await issue(acme.orgId, acme.users["owner@acme.test"].userId, ["props:read"]);
  keys.globex = await issue(globex.orgId, globex.users["owner@globex.test"].userId, ["webhooks:read", "webhooks:write", "webhooks:delete"]);
});
afterAll(async () => {
  const { keyUsageFor } = await import("@/lib/server/api-keys/key-usage");
  if (db) await keyUsageFor(db).flush();
  await db?.$disconnect();
  await t.cleanup();
});

describe("/api/v1/webhooks", () => {
  it("creates an endpoint with the secret in that answer only, then reads, changes, pauses, rotates, tests and deletes it", async () => {
    const created = await call("POST", "webhooks", null, keys.full, { url: "https://hooks.example.com/in", event_types: ["prop", "api_key"], headers: { "X-Team": "ops" } });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const id = created.json.id;
    const read = await call("GET", "webhooks/{id}", id, keys.read);
    expect(read).toMatchObject({ status: 200, json: { id, url: "https://hooks.example.com/in", event_types: ["prop", "api_key"], header_names: ["X-Team"] } });
    expect(JSON.stringify(read.json)).not.toContain(created.json.secret);
    expect((await call("GET", "webhooks", null, keys.read)).json.data.map((e: { id: string }) => e.id)).toContain(id);
    expect(await call("PATCH", "webhooks/{id}", id, keys.full, { description: "Ops", paused: true })).toMatchObject({ status: 200, json: { description: "Ops", status: "paused" } });
    expect(await call("POST", "webhooks/{id}/test", id, keys.full)).toMatchObject({ status: 409 });
    expect(await call("PATCH", "webhooks/{id}", id, keys.full, { paused: false })).toMatchObject({ status: 200, json: { status: "active" } });
    const rotated = await call("POST", "webhooks/{id}/rotate-secret", id, keys.full, { grace_hours: 2 });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    expect(rotated.json.secret_rotating_until).not.toBeNull();
    const test = await call("POST", "webhooks/{id}/test", id, keys.full);
    expect(test).toMatchObject({ status: 202, json: { queued: 1, event_id: expect.stringMatching(/^msg_/) } });
    const history = await call("GET", "webhooks/{id}/deliveries", id, keys.read, undefined, "?status=pending");
    expect(history.json.data[0]).toMatchObject({ event_id: test.json.event_id, status: "pending" });
    expect(await call("POST", "webhooks/{id}/redeliver", id, keys.full, { since: new Date(0).toISOString() })).toMatchObject({ status: 202, json: { queued: 0 } });
    expect(await call("DELETE", "webhooks/{id}", id, keys.full)).toMatchObject({ status: 204 });
    expect(await call("GET", "webhooks/{id}", id, keys.full)).toMatchObject({ status: 404, json: { error: { code: "not_found" } } });
  });

  it("needs the webhooks scope for each verb", async () => {
    expect(await call("GET", "webhooks", null, keys.props)).toMatchObject({ status: 403, json: { error: { code: "insufficient_scope" } } });
    expect(await call("POST", "webhooks", null, keys.read, { url: "https://hooks.example.com/x" })).toMatchObject({ status: 403, json: { error: { code: "insufficient_scope" } } });
    expect(await call("GET", "webhooks", null, null)).toMatchObject({ status: 401, json: { error: { code: "key_missing" } } });
    const { json } = await call("POST", "webhooks", null, keys.full, { url: "https://hooks.example.com/scoped" });
    expect(await call("DELETE", "webhooks/{id}", json.id, keys.read)).toMatchObject({ status: 403 });
    expect(await call("POST", "webhooks/{id}/rotate-secret", json.id, keys.read, {})).toMatchObject({ status: 403 });
  });

  it("answers another organization's endpoint as not found, everywhere", async () => {
    const { json } = await call("POST", "webhooks", null, keys.full, { url: "https://hooks.example.com/acme" });
    for (const [method, route, body] of [
      ["GET", "webhooks/{id}", undefined],
      ["PATCH", "webhooks/{id}", { description: "x" }],
      ["DELETE", "webhooks/{id}", undefined],
      ["POST", "webhooks/{id}/rotate-secret", {}],
      ["POST", "webhooks/{id}/test", undefined],
      ["GET", "webhooks/{id}/deliveries", undefined],
      ["POST", "webhooks/{id}/redeliver", { since: new Date(0).toISOString() }],
    ] as const) {
      expect(await call(method, route, json.id, keys.globex, body), `${method} ${route}`).toMatchObject({ status: 404, json: { error: { code: "not_found" } } });
    }
    expect((await call("GET", "webhooks", null, keys.globex)).json.data).toEqual([]);
  });

  it("refuses non-https, private and malformed input with validation_failed", async () => {
    for (const body of [{ url: "http://hooks.example.com/" }, { url: "https://127.0.0.1/" }, { url: "https://[::1]/" }, { url: "https://169.254.169.254/" }, { url: 5 }, { url: "https://h.example/", extra: 1 }]) {
      expect(await call("POST", "webhooks", null, keys.full, body), JSON.stringify(body)).toMatchObject({ status: 400, json: { error: { code: "validation_failed" } } });
    }
  });
});
