import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { UserActor } from "@/lib/server/audit/actor";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { newId } from "@/lib/server/crypto";
import { createResource } from "@/lib/server/resources/create-resource";
import { updateResource } from "@/lib/server/resources/update-resource";
import { deleteResource } from "@/lib/server/resources/delete-resource";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { updateApiKey } from "@/lib/server/api-keys/update-api-key";
import { rollApiKey } from "@/lib/server/api-keys/roll-api-key";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";
import { keyUsageFor } from "@/lib/server/api-keys/key-usage";
import { recordWebhookEvent } from "./record-webhook-event";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
let owner: UserActor;

/** An endpoint row inserted directly: set-up, not under test here. */
async function endpoint(orgId: string, settings: { eventTypes?: string[]; resourceIds?: string[]; status?: string } = {}) {
  return t.db.webhookEndpoint.create({
    data: {
      id: newId(),
      organizationId: orgId,
      url: "https://hooks.example.com/in",
      secret: "sealed",
      eventTypes: JSON.stringify(settings.eventTypes ?? []),
      resourceIds: JSON.stringify(settings.resourceIds ?? []),
      status: settings.status ?? "active",
    },
  });
}

const eventsOf = (orgId: string, type: string) => t.db.webhookEvent.findMany({ where: { organizationId: orgId, type }, orderBy: { createdAt: "asc" } });
const deliveriesOf = (eventId: string) => t.db.webhookDelivery.findMany({ where: { eventId } });

let all: { id: string };
let propsOnly: { id: string };
let marqueesOnly: { id: string };
let paused: { id: string };
let globexAll: { id: string };

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, request: testRequest };
  all = await endpoint(acme.orgId);
  propsOnly = await endpoint(acme.orgId, { eventTypes: ["prop"] });
  marqueesOnly = await endpoint(acme.orgId, { eventTypes: ["marquee"] });
  paused = await endpoint(acme.orgId, { status: "paused" });
  globexAll = await endpoint(globex.orgId);
});
afterAll(async () => {
  await keyUsageFor(t.db).flush();
  await t.cleanup();
});

describe("resource events", () => {
  it("writes prop.created with {type, timestamp, data} and one delivery per subscribed active endpoint of the organization", async () => {
    const prop = await createResource(t.db, { orgId: acme.orgId, type: "prop", actor: owner, input: { name: "outbox-web", repository_url: "https://git.example.com/w.git" } });
    const [event] = (await eventsOf(acme.orgId, "prop.created")).filter((e) => e.resourceId === prop.id);
    const payload = JSON.parse(event.payload);
    expect(Object.keys(payload).sort()).toEqual(["data", "timestamp", "type"]);
    expect(payload).toMatchObject({ type: "prop.created", data: prop });
    expect(new Date(payload.timestamp).toISOString()).toBe(payload.timestamp);
    expect(event.id).toMatch(/^msg_[A-Za-z0-9_-]{22}$/);
    const targets = (await deliveriesOf(event.id)).map((d) => d.endpointId).sort();
    expect(targets).toEqual([all.id, propsOnly.id].sort());
    expect(targets).not.toContain(globexAll.id);
    expect(targets).not.toContain(paused.id);
    for (const d of await deliveriesOf(event.id)) expect(d).toMatchObject({ status: "pending", attempts: 0, organizationId: acme.orgId, eventType: "prop.created" });
  });

  it("writes updated and deleted events with the resource as it is (or was), and nothing for a patch that changes nothing", async () => {
    const m = await createResource(t.db, { orgId: acme.orgId, type: "marquee", actor: owner, input: { name: "outbox-runner", hostname: "r.example.com" } });
    await updateResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: owner, patch: { status: "draining" } });
    await updateResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: owner, patch: { status: "draining" } });
    await deleteResource(t.db, { orgId: acme.orgId, type: "marquee", id: m.id, actor: owner });
    const updated = (await eventsOf(acme.orgId, "marquee.updated")).filter((e) => e.resourceId === m.id);
    expect(updated).toHaveLength(1);
    expect(JSON.parse(updated[0].payload).data).toMatchObject({ id: m.id, status: "draining" });
    const [deleted] = (await eventsOf(acme.orgId, "marquee.deleted")).filter((e) => e.resourceId === m.id);
    expect(JSON.parse(deleted.payload).data).toMatchObject({ id: m.id, name: "outbox-runner", status: "draining" });
    expect((await deliveriesOf(deleted.id)).map((d) => d.endpointId).sort()).toEqual([all.id, marqueesOnly.id].sort());
  });

  it("leaves no event and no delivery when the change fails", async () => {
    const before = await t.db.webhookEvent.count();
    const beforeDeliveries = await t.db.webhookDelivery.count();
    // A reference to a playspec that does not exist: refused inside the transaction.
    await expect(createResource(t.db, { orgId: acme.orgId, type: "playground", actor: owner, input: { name: "pg-1", playspec: "missing" } })).rejects.toMatchObject({ code: "validation_failed" });
    // A name taken: the insert fails inside the transaction.
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "dup-bot" } });
    await expect(createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "dup-bot" } })).rejects.toMatchObject({ code: "conflict" });
    expect(await t.db.webhookEvent.count()).toBe(before + 1);
    expect(await t.db.webhookDelivery.count()).toBe(beforeDeliveries + 1);
  });

  it("rolls the event back with the change when the transaction fails after it was written", async () => {
    const before = { events: await t.db.webhookEvent.count(), deliveries: await t.db.webhookDelivery.count(), audit: await t.db.auditEvent.count() };
    await expect(
      t.db.$transaction(async (tx) => {
        await tx.platformResource.create({ data: { id: newId(), organizationId: acme.orgId, type: "prop", name: "rolled-back", data: "{}" } });
        await recordAuditEvent(tx, { organizationId: acme.orgId, actor: { type: "system" }, action: "prop.created", outcome: "success" });
        await recordWebhookEvent(tx, { organizationId: acme.orgId, type: "prop.created", resource: { type: "prop", id: null }, data: { name: "rolled-back" } });
        throw new Error("the change fails at the end");
      }),
    ).rejects.toThrow("the change fails at the end");
    expect(await t.db.webhookEvent.count()).toBe(before.events);
    expect(await t.db.webhookDelivery.count()).toBe(before.deliveries);
    expect(await t.db.auditEvent.count()).toBe(before.audit);
    expect(await t.db.platformResource.count({ where: { name: "rolled-back" } })).toBe(0);
  });

  it("delivers to an endpoint filtered to selected resources only the events of those resources", async () => {
    const a = await createResource(t.db, { orgId: acme.orgId, type: "prop", actor: owner, input: { name: "filtered-a" } });
    const b = await createResource(t.db, { orgId: acme.orgId, type: "prop", actor: owner, input: { name: "filtered-b" } });
    const onlyA = await endpoint(acme.orgId, { eventTypes: ["prop"], resourceIds: [a.id] });
    await updateResource(t.db, { orgId: acme.orgId, type: "prop", id: a.id, actor: owner, patch: { description: "x" } });
    await updateResource(t.db, { orgId: acme.orgId, type: "prop", id: b.id, actor: owner, patch: { description: "x" } });
    const updates = await eventsOf(acme.orgId, "prop.updated");
    const forA = updates.find((e) => e.resourceId === a.id)!;
    const forB = updates.find((e) => e.resourceId === b.id)!;
    expect((await deliveriesOf(forA.id)).map((d) => d.endpointId)).toContain(onlyA.id);
    expect((await deliveriesOf(forB.id)).map((d) => d.endpointId)).not.toContain(onlyA.id);
  });

  it("refuses an event type that is not resource.verb", async () => {
    await expect(t.db.$transaction((tx) => recordWebhookEvent(tx, { organizationId: acme.orgId, type: "Prop Created", resource: { type: "prop", id: null }, data: {} }))).rejects.toThrow(
      /resource\.verb/,
    );
  });
});

describe("API key events", () => {
  it("writes api_key.created, updated, rolled and revoked with the public fields and never the key or its hash", async () => {
    const authority = { orgId: acme.orgId, userId: owner.userId, manageAll: true };
    const { key, raw } = await createApiKey(t.db, { orgId: acme.orgId, actor: owner, ownerId: owner.userId, name: "hooked", scopes: ["props:read"] });
    await updateApiKey(t.db, { keyId: key.id, authority, actor: owner, name: "hooked-2" });
    const rolled = await rollApiKey(t.db, { keyId: key.id, authority, actor: owner, graceHours: 1 });
    await revokeApiKey(t.db, { keyId: rolled.key.id, authority, actor: owner });
    const rows = await t.db.webhookEvent.findMany({ where: { organizationId: acme.orgId, resourceType: "api_key" }, orderBy: { createdAt: "asc" } });
    const byType = (type: string) => JSON.parse(rows.find((r) => r.type === type)!.payload);
    expect(rows.map((r) => r.type).sort()).toEqual(["api_key.created", "api_key.revoked", "api_key.rolled", "api_key.updated"]);
    const [created, updated, roll, revoked] = ["api_key.created", "api_key.updated", "api_key.rolled", "api_key.revoked"].map(byType);
    expect(created.data).toMatchObject({ id: key.id, name: "hooked", scopes: ["props:read"], status: "active" });
    expect(updated.data).toMatchObject({ id: key.id, name: "hooked-2" });
    expect(roll.data).toMatchObject({ id: key.id, rolled_to_id: rolled.key.id, replaced_by: { id: rolled.key.id } });
    expect(revoked.data).toMatchObject({ id: rolled.key.id, status: "revoked" });
    const hashes = (await t.sql(`SELECT "hash" FROM "ApiKey" WHERE "organizationId" = ?`, acme.orgId)).map((r) => String(r.hash));
    for (const r of rows) {
      expect(r.payload).not.toContain(raw.slice(4));
      expect(r.payload).not.toContain(rolled.raw.slice(4));
      for (const h of hashes) expect(r.payload).not.toContain(h);
    }
    expect((await deliveriesOf(rows.find((r) => r.type === "api_key.created")!.id)).map((d) => d.endpointId)).toEqual([all.id]);
  });
});

describe("secret events", () => {
  it("writes secret.created, updated and deleted with what identifies the secret and never its value", async () => {
    const { createSecret } = await import("@/lib/server/secrets/create-secret");
    const { updateSecret } = await import("@/lib/server/secrets/update-secret");
    const { deleteSecret } = await import("@/lib/server/secrets/delete-secret");
    const VALUE = "sk_live_outbox_planted_1";
    const NEW_VALUE = "sk_live_outbox_planted_2";
    const secret = await createSecret(t.db, { orgId: acme.orgId, actor: owner, input: { name: "STRIPE_KEY", value: VALUE, scope: "organization", category: "provider" } });
    await updateSecret(t.db, { orgId: acme.orgId, id: secret.id, actor: owner, input: { value: NEW_VALUE } });
    await deleteSecret(t.db, { orgId: acme.orgId, id: secret.id, actor: owner });

    const events = (await t.db.webhookEvent.findMany({ where: { organizationId: acme.orgId, resourceId: secret.id }, orderBy: { createdAt: "asc" } })).map((e) => ({ ...e, body: JSON.parse(e.payload) }));
    expect(events.map((e) => e.type)).toEqual(["secret.created", "secret.updated", "secret.deleted"]);
    expect(events[0].body.data).toEqual({ id: secret.id, name: "STRIPE_KEY", category: "provider", scope: "organization", team_id: null, workspace_id: null, value_version: 1 });
    expect(events[1].body.data).toMatchObject({ value_version: 2, changed: ["value"] });
    const row = await t.db.secret.findUnique({ where: { id: secret.id } });
    expect(row).toBeNull();
    for (const e of events) {
      for (const planted of [VALUE, NEW_VALUE]) expect(e.payload).not.toContain(planted);
      expect(e.payload).not.toMatch(/ciphertext|wrapped/i);
      // The secret family reaches the endpoint subscribed to everything, not the props-only one.
      expect((await deliveriesOf(e.id)).map((d) => d.endpointId)).toEqual([all.id]);
    }
  });
});
