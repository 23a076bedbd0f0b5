import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { isAppError } from "@/lib/server/errors";
import type { ApiKeyActor, UserActor } from "@/lib/server/audit/actor";
import { RESOURCE_DEFINITIONS } from "@/lib/resources/registry";
import { createResource } from "./create-resource";
import { updateResource } from "./update-resource";
import { deleteResource } from "./delete-resource";
import { getResource } from "./get-resource";
import { listResources } from "./list-resources";
import { countResources } from "./count-resources";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
let owner: UserActor;
let globexOwner: UserActor;

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, sessionPublicId: "sess_pub", request: testRequest };
  globexOwner = { userId: globex.users["owner@globex.test"].userId, email: "owner@globex.test", sessionId: null, request: testRequest };
});
afterAll(() => t.cleanup());

const events = (orgId: string, action: string) => t.db.auditEvent.findMany({ where: { organizationId: orgId, action }, orderBy: { seq: "asc" } });

describe("createResource", () => {
  it("creates a prop with its defaults and audits it as the user, in the same transaction", async () => {
    const prop = await createResource(t.db, { orgId: acme.orgId, type: "prop", actor: owner, input: { name: "web-app", repository_url: "https://git.example.com/web.git" } });
    expect(prop).toMatchObject({ type: "prop", name: "web-app", repository_url: "https://git.example.com/web.git", default_branch: "main", description: null });
    const [event] = await events(acme.orgId, "prop.created");
    expect(event).toMatchObject({ actorType: "user", actorId: owner.userId, resourceType: "prop", resourceId: prop.id, resourceLabel: "web-app", ip: testRequest.ip, sessionId: "sess_pub", outcome: "success" });
    expect((await t.db.platformResource.findUniqueOrThrow({ where: { id: prop.id } })).createdById).toBe(owner.userId);
  });

  it("audits an API key's request with the key id, IP and request id, and an agent's key as the agent", async () => {
    const keyActor: ApiKeyActor = { kind: "api_key", keyId: "key_1", keyName: "CI", ownerId: owner.userId, agent: null, request: { ip: "198.51.100.4", userAgent: "curl/8" }, requestId: "req_abc" };
    const m = await createResource(t.db, { orgId: acme.orgId, type: "marquee", actor: keyActor, input: { name: "runner-1", hostname: "runner-1.example.com" } });
    const agentActor: ApiKeyActor = { ...keyActor, agent: { id: "agent_1", name: "deploy-bot" }, requestId: "req_def" };
    await updateResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: agentActor, patch: { status: "draining" } });
    const [created] = await events(acme.orgId, "marquee.created");
    expect(created).toMatchObject({ actorType: "api_key", actorId: "key_1", apiKeyId: "key_1", ip: "198.51.100.4" });
    expect(JSON.parse(created.metadata)).toMatchObject({ request_id: "req_abc" });
    const [updated] = await events(acme.orgId, "marquee.updated");
    expect(updated).toMatchObject({ actorType: "agent", actorId: "agent_1", actorLabel: "deploy-bot", apiKeyId: "key_1" });
    expect(JSON.parse(updated.metadata)).toMatchObject({ request_id: "req_def", changed: "status" });
  });

  it("refuses a taken name with a conflict on `name`, but allows it in another organization or type", async () => {
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "bot" } });
    await expect(createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "bot" } })).rejects.toMatchObject({
      code: "conflict",
      message: 'Another agent is already named "bot".',
      details: { fieldErrors: { name: ["Another agent already has this name."] } },
    });
    await expect(createResource(t.db, { orgId: globex.orgId, type: "agent", actor: globexOwner, input: { name: "bot" } })).resolves.toMatchObject({ name: "bot" });
    await expect(createResource(t.db, { orgId: acme.orgId, type: "mutter", actor: owner, input: { name: "bot", message: "hi" } })).resolves.toMatchObject({ name: "bot" });
    expect(await events(acme.orgId, "agent.created")).toHaveLength(1);
  });

  it("lets exactly one of many parallel creates of one name through; the others get a conflict and leave no audit event", async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, () => createResource(t.db, { orgId: acme.orgId, type: "playspec", actor: owner, input: { name: "race", base_image: "node:22" } })),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((a) => a.status === "rejected")) expect(a.reason).toMatchObject({ code: "conflict" });
    expect(await t.db.platformResource.count({ where: { organizationId: acme.orgId, type: "playspec", name: "race" } })).toBe(1);
    expect(await events(acme.orgId, "playspec.created")).toHaveLength(1);
  });

  it("reports bad fields as validation_failed with field errors and writes nothing", async () => {
    const before = await t.db.platformResource.count();
    const attempt = createResource(t.db, { orgId: acme.orgId, type: "playspec", actor: owner, input: { name: " ", base_image: "", cpu: 1000, memory_mb: 1.5 } });
    await expect(attempt).rejects.toMatchObject({ code: "validation_failed" });
    const error: unknown = await attempt.catch((e: unknown) => e);
    expect(isAppError(error) && Object.keys(error.details?.fieldErrors ?? {}).sort()).toEqual(["base_image", "cpu", "memory_mb", "name"]);
    expect(await t.db.platformResource.count()).toBe(before);
  });

  it("accepts form strings for numbers and treats an empty optional field as left out", async () => {
    const spec = await createResource(t.db, { orgId: acme.orgId, type: "playspec", actor: owner, input: { name: "small", base_image: "alpine", cpu: "0.5", memory_mb: "256", description: "" } });
    expect(spec).toMatchObject({ cpu: 0.5, memory_mb: 256, description: null });
  });

  it("an unknown type is not_found", async () => {
    await expect(createResource(t.db, { orgId: acme.orgId, type: "__proto__", actor: owner, input: { name: "x" } })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("references", () => {
  it("must name an existing resource of the same organization", async () => {
    await createResource(t.db, { orgId: globex.orgId, type: "prop", actor: globexOwner, input: { name: "globex-repo" } });
    const attempt = createResource(t.db, { orgId: acme.orgId, type: "playground", actor: owner, input: { name: "pg-1", prop: "globex-repo", playspec: "nope" } });
    await expect(attempt).rejects.toMatchObject({
      code: "validation_failed",
      details: { fieldErrors: { prop: ['No prop named "globex-repo" exists in this organization.'], playspec: ['No playspec named "nope" exists in this organization.'] } },
    });
    const pg = await createResource(t.db, { orgId: acme.orgId, type: "playground", actor: owner, input: { name: "pg-1", prop: "web-app", playspec: "small" } });
    expect(pg).toMatchObject({ prop: "web-app", playspec: "small", ttl_hours: 24, status: "running" });
  });

  it("keeps a referenced resource from being deleted or renamed, and lets it go once unreferenced", async () => {
    const prop = (await listResources(t.db, { orgId: acme.orgId, type: "prop" })).data.find((p) => p.name === "web-app")!;
    await expect(deleteResource(t.db, { orgId: acme.orgId, type: "prop", id: prop.id, actor: owner })).rejects.toMatchObject({
      code: "conflict",
      message: 'This prop is used by playground "pg-1". Change it first, then delete it.',
    });
    await expect(updateResource(t.db, { orgId: acme.orgId, type: "prop", id: prop.id, actor: owner, patch: { name: "web" } })).rejects.toMatchObject({ code: "conflict" });
    // Other fields of a referenced prop still change.
    await expect(updateResource(t.db, { orgId: acme.orgId, type: "prop", id: prop.id, actor: owner, patch: { default_branch: "trunk" } })).resolves.toMatchObject({ default_branch: "trunk" });
    const pg = (await listResources(t.db, { orgId: acme.orgId, type: "playground" })).data[0];
    await updateResource(t.db, { orgId: acme.orgId, type: "playground", id: pg.id, actor: owner, patch: { prop: null } });
    await expect(deleteResource(t.db, { orgId: acme.orgId, type: "prop", id: prop.id, actor: owner })).resolves.toMatchObject({ name: "web-app" });
    expect(await events(acme.orgId, "prop.deleted")).toHaveLength(1);
  });
});

describe("another organization's ids", () => {
  it("behave like missing ones for get, update and delete, and change nothing", async () => {
    const theirs = await createResource(t.db, { orgId: globex.orgId, type: "feedback", actor: globexOwner, input: { name: "fb", rating: 4 } });
    const missing = { code: "not_found", message: "That feedback does not exist." };
    await expect(getResource(t.db, { orgId: acme.orgId, type: "feedback", id: theirs.id })).rejects.toMatchObject(missing);
    await expect(getResource(t.db, { orgId: acme.orgId, type: "feedback", id: "no-such-id" })).rejects.toMatchObject(missing);
    await expect(updateResource(t.db, { orgId: acme.orgId, type: "feedback", id: theirs.id, actor: owner, patch: { rating: 1 } })).rejects.toMatchObject(missing);
    await expect(deleteResource(t.db, { orgId: acme.orgId, type: "feedback", id: theirs.id, actor: owner })).rejects.toMatchObject(missing);
    // Nor does an id of another type in one's own organization.
    await expect(getResource(t.db, { orgId: globex.orgId, type: "prop", id: theirs.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await getResource(t.db, { orgId: globex.orgId, type: "feedback", id: theirs.id })).toMatchObject({ rating: 4 });
    expect(await events(acme.orgId, "feedback.updated")).toHaveLength(0);
    expect(await events(acme.orgId, "feedback.deleted")).toHaveLength(0);
  });
});

describe("updateResource", () => {
  it("merges a patch, clears with null, records changed field names only, and records nothing for a no-op", async () => {
    const a = await createResource(t.db, { orgId: acme.orgId, type: "artefact", actor: owner, input: { name: "build-1", uri: "s3://b/1.tgz", size_bytes: 10 } });
    const b = await updateResource(t.db, { orgId: acme.orgId, type: "artefact", id: a.id, actor: owner, patch: { size_bytes: null, sha256: "a".repeat(64), name: "build-one" } });
    expect(b).toMatchObject({ name: "build-one", uri: "s3://b/1.tgz", size_bytes: null, sha256: "a".repeat(64) });
    const [event] = await events(acme.orgId, "artefact.updated");
    expect(JSON.parse(event.metadata)).toEqual({ changed: "name,size_bytes,sha256", previous_name: "build-1" });
    await updateResource(t.db, { orgId: acme.orgId, type: "artefact", id: a.id, actor: owner, patch: { uri: "s3://b/1.tgz" } });
    expect(await events(acme.orgId, "artefact.updated")).toHaveLength(1);
    // A required field cannot be cleared.
    await expect(updateResource(t.db, { orgId: acme.orgId, type: "artefact", id: a.id, actor: owner, patch: { uri: null } })).rejects.toMatchObject({
      code: "validation_failed",
      details: { fieldErrors: { uri: expect.any(Array) } },
    });
  });

  it("renaming onto a taken name is a conflict", async () => {
    const x = await createResource(t.db, { orgId: acme.orgId, type: "template", actor: owner, input: { name: "t-1" } });
    await createResource(t.db, { orgId: acme.orgId, type: "template", actor: owner, input: { name: "t-2" } });
    await expect(updateResource(t.db, { orgId: acme.orgId, type: "template", id: x.id, actor: owner, patch: { name: "t-2" } })).rejects.toMatchObject({ code: "conflict" });
  });

  it("parallel partial updates of different fields both land", async () => {
    const m = await createResource(t.db, { orgId: acme.orgId, type: "marquee", actor: owner, input: { name: "runner-9", hostname: "r9.example.com" } });
    await Promise.all([
      updateResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: owner, patch: { region: "eu-west" } }),
      updateResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: owner, patch: { status: "offline" } }),
      updateResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: owner, patch: { hostname: "r9b.example.com" } }),
    ]);
    expect(await getResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id })).toMatchObject({ region: "eu-west", status: "offline", hostname: "r9b.example.com" });
  });
});

describe("listResources", () => {
  it("pages by keyset with an opaque cursor, newest first, only the organization's rows, without repeats", async () => {
    for (let i = 0; i < 7; i++) await createResource(t.db, { orgId: acme.orgId, type: "mutter", actor: owner, input: { name: `m-${i}`, message: `note ${i}` } });
    await createResource(t.db, { orgId: globex.orgId, type: "mutter", actor: globexOwner, input: { name: "theirs", message: "x" } });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listResources>> = await listResources(t.db, { orgId: acme.orgId, type: "mutter", limit: 3, cursor });
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((r) => r.name));
      cursor = page.nextCursor;
      if (cursor) expect(cursor).not.toMatch(/m-|\|/);
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(["m-6", "m-5", "m-4", "m-3", "m-2", "m-1", "m-0", "bot"]);
    expect(pages).toBe(3);
    expect((await countResources(t.db, { orgId: acme.orgId })).mutter).toBe(8);
  });

  it("filters to chosen ids (a restricted key) and refuses bad cursors and limits as validation errors", async () => {
    const all = await listResources(t.db, { orgId: acme.orgId, type: "mutter", limit: 100 });
    const chosen = [all.data[1].id, all.data[4].id];
    const page = await listResources(t.db, { orgId: acme.orgId, type: "mutter", onlyIds: chosen });
    expect(page.data.map((r) => r.id).sort()).toEqual([...chosen].sort());
    for (const cursor of ["garbage!", Buffer.from("2020-01-01|x'; DROP").toString("base64url"), "a".repeat(500)]) {
      await expect(listResources(t.db, { orgId: acme.orgId, type: "mutter", cursor })).rejects.toMatchObject({ code: "validation_failed" });
    }
    for (const limit of [0, 101, 2.5, Number.NaN]) await expect(listResources(t.db, { orgId: acme.orgId, type: "mutter", limit })).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("hostile input", () => {
  const hostileValue = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.constantFrom("", " ", "\u0000", "../../etc/passwd", "'; DROP TABLE x; --", "__proto__", "1e309", "NaN", "-0", "9".repeat(400), "\u202e", "a".repeat(70_000)),
    fc.double(),
    fc.integer(),
  );
  const hostileInput = fc.oneof(
    fc.anything(),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("name", "__proto__", "constructor", "prop", "cpu", "uri", "rating", "status", "message")), hostileValue),
  );

  it("create and update never fail with anything but validation_failed (or the conflict of a taken name)", async () => {
    const target = await createResource(t.db, { orgId: acme.orgId, type: "playground", actor: owner, input: { name: "fuzz-target" } });
    const types = RESOURCE_DEFINITIONS.map((d) => d.type);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), hostileInput, async (type, input) => {
        try {
          const created = await createResource(t.db, { orgId: acme.orgId, type, actor: owner, input });
          await deleteResource(t.db, { orgId: acme.orgId, type, id: created.id, actor: owner });
        } catch (error) {
          if (!isAppError(error) || !["validation_failed", "conflict"].includes(error.code)) throw error;
        }
        try {
          await updateResource(t.db, { orgId: acme.orgId, type: "playground", id: target.id, actor: owner, patch: input });
        } catch (error) {
          if (!isAppError(error) || !["validation_failed", "conflict"].includes(error.code)) throw error;
        }
      }),
      { numRuns: 150 },
    );
  });
});
