import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// Receivers run on 127.0.0.1: allowed here, by the private allowlist, in tests only.
process.env.WEBHOOKS_ALLOW_HTTP = "true";
process.env.WEBHOOKS_ALLOWED_PRIVATE_CIDRS = "127.0.0.1/32";

import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { UserActor } from "@/lib/server/audit/actor";
import { parseIpRange, type IpRange } from "@/lib/net/client-ip";
import { standardWebhooksAccepts, startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";
import { createResource } from "@/lib/server/resources/create-resource";
import { createWebhookEndpoint } from "./create-webhook-endpoint";
import { deleteWebhookEndpoint, rotateWebhookSecret, setWebhookEndpointPaused, updateWebhookEndpoint } from "./manage-webhook-endpoint";
import { sendTestWebhook } from "./send-test-webhook";
import { redeliverWebhooks } from "./redeliver-webhook";
import { listWebhookDeliveries } from "./list-webhooks";
import { createWebhookWorker } from "./worker/webhook-worker";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
let owner: UserActor;
let globexOwner: UserActor;
// Verifies every delivery on arrival with the standardwebhooks package.
let receiver: WebhookReceiver;
let base: string;
let received: WebhookReceiver["received"];
const loopback = parseIpRange("127.0.0.1/32") as { ok: true; range: IpRange };
const runWorker = () => createWebhookWorker(t.db, { policy: { allowHttp: true, allowedPrivate: [loopback.range] }, timeoutMs: 2_000, retentionDays: 0 }).runOnce();

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, request: testRequest };
  globexOwner = { userId: globex.users["owner@globex.test"].userId, email: "owner@globex.test", sessionId: null, request: testRequest };
  receiver = await startWebhookReceiver();
  ({ base, received } = receiver);
});
afterAll(async () => {
  await receiver.close();
  await t.cleanup();
});

afterEach(() => {
  expect(receiver.unverified()).toEqual([]);
});

async function create(input: Record<string, unknown>, actor = owner, orgId = acme.orgId) {
  const created = await createWebhookEndpoint(t.db, { orgId, actor, input });
  if (typeof input.url === "string" && input.url.startsWith(base)) receiver.secrets.set(input.url.slice(base.length), [created.secret]);
  return created;
}
const forPath = (path: string) => received.filter((r) => r.path === path);

describe("creating endpoints", () => {
  it("returns the whsec_ secret once, stores it sealed, audits and announces the endpoint", async () => {
    const { endpoint, secret } = await create({ url: `${base}/a`, description: "CI", event_types: ["prop", "prop"], headers: { "X-Token": "abc" } });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: `${base}/a`, description: "CI", event_types: ["prop"], header_names: ["X-Token"], status: "active" });
    expect(JSON.stringify(endpoint)).not.toContain(secret);
    const [row] = await t.sql(`SELECT * FROM "WebhookEndpoint" WHERE "id" = ?`, endpoint.id);
    expect(String(row.secret)).not.toContain(secret.slice(6));
    expect(await t.db.auditEvent.count({ where: { action: "webhook.created", resourceId: endpoint.id, actorId: owner.userId } })).toBe(1);
    const [event] = await t.db.webhookEvent.findMany({ where: { type: "webhook.created", resourceId: endpoint.id } });
    expect(event.payload).not.toContain(secret.slice(6));
    expect(event.payload).not.toContain("abc");
  });

  it("refuses bad URLs, private literals outside the allowlist, unknown families and headers Gatehouse sets", async () => {
    await expect(create({ url: "ftp://x.example/" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(create({ url: "http://10.0.0.1/hook" })).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("private") });
    await expect(create({ url: "http://[::ffff:169.254.169.254]/" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(create({ url: `${base}/x`, event_types: ["nope"] })).rejects.toMatchObject({ code: "validation_failed", details: { fieldErrors: { event_types: expect.any(Array) } } });
    await expect(create({ url: `${base}/x`, headers: { "webhook-signature": "forged" } })).rejects.toMatchObject({ code: "validation_failed", details: { fieldErrors: { headers: expect.any(Array) } } });
  });
});

describe("managing endpoints", () => {
  it("treats another organization's endpoint as one that does not exist", async () => {
    const { endpoint } = await create({ url: `${base}/acme-only` });
    const other = { orgId: globex.orgId, id: endpoint.id, actor: globexOwner };
    await expect(updateWebhookEndpoint(t.db, { ...other, patch: { description: "mine" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(setWebhookEndpointPaused(t.db, { ...other, paused: true })).rejects.toMatchObject({ code: "not_found" });
    await expect(rotateWebhookSecret(t.db, { ...other, graceHours: 1 })).rejects.toMatchObject({ code: "not_found" });
    await expect(sendTestWebhook(t.db, other)).rejects.toMatchObject({ code: "not_found" });
    await expect(redeliverWebhooks(t.db, { orgId: globex.orgId, endpointId: endpoint.id, actor: globexOwner, since: new Date(0) })).rejects.toMatchObject({ code: "not_found" });
    await expect(listWebhookDeliveries(t.db, { orgId: globex.orgId, endpointId: endpoint.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteWebhookEndpoint(t.db, other)).rejects.toMatchObject({ code: "not_found" });
    expect(await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ description: "", status: "active" });
  });

  it("sends a test event to that endpoint only, signed, and shows it in the history", async () => {
    const { endpoint, secret } = await create({ url: `${base}/test`, event_types: ["marquee"] });
    const { endpoint: bystander } = await create({ url: `${base}/bystander` });
    const eventId = await sendTestWebhook(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner });
    await runWorker();
    const [got] = forPath("/test");
    expect(got.id).toBe(eventId);
    expect(JSON.parse(got.body)).toMatchObject({ type: "webhook.test" });
    expect(got.verifiedWith).toEqual([secret]);
    expect(forPath("/bystander").filter((r) => r.id === eventId)).toHaveLength(0);
    const history = await listWebhookDeliveries(t.db, { orgId: acme.orgId, endpointId: endpoint.id });
    expect(history.data[0]).toMatchObject({ event_type: "webhook.test", status: "succeeded", attempts: 1 });
    expect(history.data[0].attempt_log[0]).toMatchObject({ response_status: 200, response_body: "ok", request_headers: { "webhook-id": eventId } });
    expect(await listWebhookDeliveries(t.db, { orgId: acme.orgId, endpointId: endpoint.id, status: "failed" })).toMatchObject({ data: [] });
    await deleteWebhookEndpoint(t.db, { orgId: acme.orgId, id: bystander.id, actor: owner });
  });

  it("signs with both secrets during a rotation's grace period, and with the new one only after", async () => {
    const { endpoint, secret: oldSecret } = await create({ url: `${base}/rotate` });
    const { secret: newSecret, endpoint: rotated } = await rotateWebhookSecret(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, graceHours: 24 });
    expect(rotated.secret_rotating_until).not.toBeNull();
    receiver.secrets.set("/rotate", [oldSecret, newSecret]);
    await sendTestWebhook(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner });
    await runWorker();
    const during = forPath("/rotate").at(-1)!;
    expect(during.signature.split(" ")).toHaveLength(2);
    // The official library accepts the two-signature header with either secret.
    expect(during.verifiedWith).toEqual([oldSecret, newSecret]);
    const { secret: newest } = await rotateWebhookSecret(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, graceHours: 0 });
    receiver.secrets.set("/rotate", [oldSecret, newSecret, newest]);
    await sendTestWebhook(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner });
    await runWorker();
    const after = forPath("/rotate").at(-1)!;
    expect(after.signature.split(" ")).toHaveLength(1);
    expect(after.verifiedWith).toEqual([newest]);
    expect(standardWebhooksAccepts(newSecret, after)).toBe(false);
    // A tampered body fails the official check too (the receiver is not a rubber stamp).
    expect(standardWebhooksAccepts(newest, { ...after, body: `${after.body} ` })).toBe(false);
    expect(await t.db.auditEvent.count({ where: { action: "webhook.secret_rotated", resourceId: endpoint.id } })).toBe(2);
    await expect(rotateWebhookSecret(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, graceHours: 169 })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("queues nothing while paused, and resuming re-enables an endpoint Gatehouse disabled", async () => {
    const { endpoint } = await create({ url: `${base}/pause`, event_types: ["feedback"] });
    await setWebhookEndpointPaused(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, paused: true });
    await createResource(t.db, { orgId: acme.orgId, type: "feedback", actor: owner, input: { name: "fb-1", rating: 4 } });
    expect(await t.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    await expect(setWebhookEndpointPaused(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, paused: true })).rejects.toMatchObject({ code: "conflict" });
    await t.db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { status: "disabled", disabledReason: "The endpoint answered 410 Gone." } });
    const resumed = await setWebhookEndpointPaused(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, paused: false });
    expect(resumed).toMatchObject({ status: "active", disabled_reason: null });
    await createResource(t.db, { orgId: acme.orgId, type: "feedback", actor: owner, input: { name: "fb-2", rating: 5 } });
    expect(await t.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
    expect(await t.db.auditEvent.count({ where: { action: { in: ["webhook.paused", "webhook.resumed"] }, resourceId: endpoint.id } })).toBe(2);
  });

  it("redelivers one delivery or every failed one since a time, with the same webhook-id, tried once", async () => {
    const { endpoint } = await create({ url: `${base}/redeliver`, event_types: ["mutter"] });
    receiver.scripts.set("/redeliver", [500, 500, 500].map((code) => (res) => res.writeHead(code).end("ok")));
    await createResource(t.db, { orgId: acme.orgId, type: "mutter", actor: owner, input: { name: "m-1", message: "hi" } });
    await runWorker();
    const [first] = (await listWebhookDeliveries(t.db, { orgId: acme.orgId, endpointId: endpoint.id })).data;
    expect(first.status).toBe("pending");
    await t.db.webhookDelivery.update({ where: { id: first.id }, data: { status: "failed" } });
    // A manual redelivery that fails is not rescheduled.
    expect(await redeliverWebhooks(t.db, { orgId: acme.orgId, endpointId: endpoint.id, actor: owner, deliveryId: first.id })).toBe(1);
    await runWorker();
    let deliveries = (await listWebhookDeliveries(t.db, { orgId: acme.orgId, endpointId: endpoint.id })).data;
    expect(deliveries[0]).toMatchObject({ manual: true, status: "failed", attempts: 1, event_id: first.event_id });
    // Every failed one since a time: both failed deliveries go again, and now succeed.
    receiver.scripts.set("/redeliver", []);
    expect(await redeliverWebhooks(t.db, { orgId: acme.orgId, endpointId: endpoint.id, actor: owner, since: new Date(Date.now() - 60_000) })).toBe(2);
    await runWorker();
    deliveries = (await listWebhookDeliveries(t.db, { orgId: acme.orgId, endpointId: endpoint.id, status: "succeeded" })).data;
    expect(deliveries).toHaveLength(2);
    expect(new Set(forPath("/redeliver").map((r) => r.id))).toEqual(new Set([first.event_id]));
    await expect(redeliverWebhooks(t.db, { orgId: acme.orgId, endpointId: endpoint.id, actor: owner, deliveryId: "missing" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("updates settings with an audit of what changed, and deletes the endpoint with its history", async () => {
    const { endpoint } = await create({ url: `${base}/edit` });
    const updated = await updateWebhookEndpoint(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, patch: { description: "new", event_types: ["agent"] } });
    expect(updated).toMatchObject({ description: "new", event_types: ["agent"] });
    const [audit] = await t.db.auditEvent.findMany({ where: { action: "webhook.updated", resourceId: endpoint.id } });
    expect(JSON.parse(audit.metadata)).toMatchObject({ changed: "description,eventTypes" });
    await updateWebhookEndpoint(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner, patch: { description: "new" } });
    expect(await t.db.auditEvent.count({ where: { action: "webhook.updated", resourceId: endpoint.id } })).toBe(1);
    await sendTestWebhook(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner });
    await runWorker();
    await deleteWebhookEndpoint(t.db, { orgId: acme.orgId, id: endpoint.id, actor: owner });
    expect(await t.db.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(0);
    expect(await t.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(await t.db.webhookAttempt.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(await t.db.webhookEvent.count({ where: { type: "webhook.deleted", resourceId: endpoint.id } })).toBe(1);
  });
});
