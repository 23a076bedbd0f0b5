import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Db } from "@/lib/server/db/client";
import type { Actor, SystemActor } from "@/lib/server/audit/actor";

// The secrets routes as Next.js runs them: real Requests, real keys, the app's
// getDb() pointed at this file's database. Visibility, scopes, audited reveal.
let t: TestDb;
let db: Db;
let collection: typeof import("@/app/api/v1/secrets/route");
let item: typeof import("@/app/api/v1/secrets/[id]/route");
let reveal: typeof import("@/app/api/v1/secrets/[id]/reveal/route");
let rotation: typeof import("@/app/api/v1/secrets/[id]/rotation/route");
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const system: SystemActor = { kind: "system", label: "test set-up" };
const keys: Record<string, string> = {};
const ids: Record<string, string> = {};

async function issue(orgId: string, ownerId: string, scopes: string[]) {
  const { createApiKey } = await import("@/lib/server/api-keys/create-api-key");
  return (await createApiKey(db, { orgId, actor: system, ownerId, name: `key ${scopes.join(" ")}`, scopes })).raw;
}

async function call(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, key: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const req = new NextRequest(`http://localhost:3000/api/v1/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const [, id, tail] = path.split("?")[0].split("/");
  let res: Response;
  if (tail === "reveal") res = await reveal.POST(req, { params: Promise.resolve({ id }) });
  else if (tail === "rotation") res = await rotation.PUT(req, { params: Promise.resolve({ id }) });
  else if (id) res = await (method === "GET" ? item.GET : method === "PATCH" ? item.PATCH : item.DELETE)(req, { params: Promise.resolve({ id }) });
  else res = await (method === "GET" ? collection.GET : collection.POST)(req, { params: Promise.resolve({}) });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  const { getDb } = await import("@/lib/server/db/client");
  db = getDb();
  collection = await import("@/app/api/v1/secrets/route");
  item = await import("@/app/api/v1/secrets/[id]/route");
  reveal = await import("@/app/api/v1/secrets/[id]/reveal/route");
  rotation = await import("@/app/api/v1/secrets/[id]/rotation/route");
  acme = await seedOrg(db, "Acme", [
    { email: "olive@acme.test", role: "owner" },
    { email: "mo@acme.test", role: "member" },
    { email: "tess@acme.test", role: "member" },
    { email: "aud@acme.test", role: "auditor" },
  ]);
  globex = await seedOrg(db, "Globex", [{ email: "gina@globex.test", role: "owner" }]);
  const olive: Actor = { kind: "user", userId: acme.users["olive@acme.test"].userId, email: "olive@acme.test", sessionId: null, request: testRequest };
  const { createTeam } = await import("@/lib/server/teams/create-team");
  const { setTeamMember } = await import("@/lib/server/teams/set-team-member");
  const payments = await createTeam(db, { orgId: acme.orgId, name: "Payments", actor: olive });
  await setTeamMember(db, { orgId: acme.orgId, teamId: payments.id, userId: acme.users["mo@acme.test"].userId, member: true, actor: olive });
  ids.payments = payments.id;
  keys.owner = await issue(acme.orgId, acme.users["olive@acme.test"].userId, ["secrets:read", "secrets:write", "secrets:delete"]);
  keys.manage = await issue(acme.orgId, acme.users["olive@acme.test"].userId, ["secrets:manage"]);
  keys.ownerRead = await issue(acme.orgId, acme.users["olive@acme.test"].userId, ["secrets:read"]);
  keys.mo = await issue(acme.orgId, acme.users["mo@acme.test"].userId, ["secrets:read"]);
  keys.tess = await issue(acme.orgId, acme.users["tess@acme.test"].userId, ["secrets:read"]);
  keys.auditor = await issue(acme.orgId, acme.users["aud@acme.test"].userId, ["props:read"]);
  keys.gina = await issue(globex.orgId, globex.users["gina@globex.test"].userId, ["secrets:read", "secrets:write", "secrets:delete"]);
});
afterAll(async () => {
  const { keyUsageFor } = await import("@/lib/server/api-keys/key-usage");
  await keyUsageFor(db).flush();
  await t.cleanup();
});

describe("/api/v1/secrets", () => {
  it("creates under secrets:write and never answers with the value", async () => {
    const created = await call("POST", "secrets", keys.owner, { name: "TEAM_TOKEN", category: "integration", value: "api-planted-41d2", scope: "team", teamId: ids.payments });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "TEAM_TOKEN", scope: "team", scope_label: "Team Payments", created_by: "olive@acme.test" });
    expect(created.text).not.toContain("api-planted-41d2");
    ids.team = created.json.id;
    const org = await call("POST", "secrets", keys.owner, { name: "ORG_TOKEN", category: "provider", value: "api-planted-org-77", scope: "organization" });
    ids.org = org.json.id;
    const list = await call("GET", "secrets", keys.owner);
    expect(list.json.data.map((s: { name: string }) => s.name)).toEqual(["ORG_TOKEN", "TEAM_TOKEN"]);
    expect(list.text).not.toMatch(/api-planted|ciphertext|wrapped/i);
    // A read-only key cannot write; members cannot hold secrets:write at all.
    expect((await call("POST", "secrets", keys.ownerRead, { name: "X", category: "provider", value: "v", scope: "organization" })).json.error.code).toBe("insufficient_scope");
    expect((await call("PATCH", `secrets/${ids.org}`, keys.mo, { value: "hijack" })).json.error.code).toBe("insufficient_scope");
  });

  it("reveals explicitly, audited with the key, only within the owner's visibility", async () => {
    const revealed = await call("POST", `secrets/${ids.team}/reveal`, keys.mo);
    expect(revealed.status).toBe(200);
    expect(revealed.json).toEqual({ id: ids.team, name: "TEAM_TOKEN", value: "api-planted-41d2" });
    const audit = await t.sql(`SELECT "actorType", "apiKeyId", "metadata" FROM "AuditEvent" WHERE "action" = 'secret.revealed' AND "resourceId" = ?`, ids.team);
    expect(audit).toHaveLength(1);
    expect(audit[0].actorType).toBe("api_key");
    expect(String(audit[0].metadata)).not.toContain("api-planted");
    // Tess is in no team: the team secret does not exist for her, by list, by id, or by reveal.
    const tessList = await call("GET", "secrets", keys.tess);
    expect(tessList.json.data.map((s: { name: string }) => s.name)).toEqual(["ORG_TOKEN"]);
    expect((await call("GET", `secrets/${ids.team}`, keys.tess)).status).toBe(404);
    expect((await call("POST", `secrets/${ids.team}/reveal`, keys.tess)).json.error.code).toBe("not_found");
    // An auditor's key cannot hold secrets:read at all.
    expect((await call("GET", "secrets", keys.auditor)).json.error.code).toBe("insufficient_scope");
  });

  it("answers another organization's ids like missing ones", async () => {
    for (const [method, path, body] of [
      ["GET", `secrets/${ids.org}`, undefined],
      ["PATCH", `secrets/${ids.org}`, { value: "hijack" }],
      ["DELETE", `secrets/${ids.org}`, undefined],
      ["POST", `secrets/${ids.org}/reveal`, undefined],
    ] as const) {
      const res = await call(method, path, keys.gina, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.text).not.toContain("api-planted");
    }
    expect((await call("GET", "secrets", keys.gina)).json.data).toEqual([]);
  });

  it("updates under secrets:write, deletes under secrets:delete, pages with a cursor, refuses bad input as 400", async () => {
    const updated = await call("PATCH", `secrets/${ids.org}`, keys.owner, { value: "api-planted-org-78", description: "rotated" });
    expect(updated.json).toMatchObject({ value_version: 2, description: "rotated" });
    expect((await call("POST", `secrets/${ids.org}/reveal`, keys.ownerRead)).json.value).toBe("api-planted-org-78");
    const bad = await call("POST", "secrets", keys.owner, { name: "1BAD", category: "nope", value: "", scope: "galaxy" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("validation_failed");
    const first = await call("GET", "secrets?limit=1", keys.owner);
    expect(first.json.data).toHaveLength(1);
    const second = await call("GET", `secrets?limit=1&cursor=${first.json.next_cursor}`, keys.owner);
    expect(second.json.data[0].name).toBe("TEAM_TOKEN");
    expect(second.json.next_cursor).toBeNull();
    expect((await call("GET", "secrets?cursor=%27%3B--", keys.owner)).status).toBe(400);
    expect((await call("DELETE", `secrets/${ids.team}`, keys.owner)).status).toBe(204);
    expect((await call("GET", `secrets/${ids.team}`, keys.owner)).status).toBe(404);
  });

  it("sets the rotation policy under secrets:manage only", async () => {
    expect((await call("PUT", `secrets/${ids.org}/rotation`, keys.owner, { intervalDays: 30, notifyBeforeDays: 7 })).json.error.code).toBe("insufficient_scope");
    const set = await call("PUT", `secrets/${ids.org}/rotation`, keys.manage, { intervalDays: 30, notifyBeforeDays: 7 });
    expect(set.status).toBe(200);
    expect(set.json.rotation).toMatchObject({ state: "ok", days_remaining: 30 });
    expect((await call("PUT", `secrets/${ids.org}/rotation`, keys.manage, { intervalDays: 5, notifyBeforeDays: 9 })).status).toBe(400);
    expect((await call("PUT", `secrets/${ids.org}/rotation`, keys.gina, { intervalDays: 30 })).json.error.code).toBe("insufficient_scope");
  });
});
