import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

// Receivers run on 127.0.0.1: allowed here, by the private allowlist, in tests only.
process.env.WEBHOOKS_ALLOW_HTTP = "true";
process.env.WEBHOOKS_ALLOWED_PRIVATE_CIDRS = "127.0.0.1/32";

import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb, type Db } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import type { UserActor } from "@/lib/server/audit/actor";
import { parseIpRange, type IpRange } from "@/lib/net/client-ip";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";
import { createResource } from "@/lib/server/resources/create-resource";
import { createWebhookEndpoint } from "../create-webhook-endpoint";
import { createWebhookWorker, type WebhookWorkerOptions } from "./webhook-worker";
import { pruneWebhookHistory } from "../prune-webhook-history";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let owner: UserActor;
// Verifies every delivery on arrival with the standardwebhooks package.
let receiver: WebhookReceiver;
let base: string;
let received: WebhookReceiver["received"];
/** Per path: what to answer to each successive request. */
let scripts: WebhookReceiver["scripts"];

const loopback = parseIpRange("127.0.0.1/32") as { ok: true; range: IpRange };
const policy = { allowHttp: true, allowedPrivate: [loopback.range] };

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, request: testRequest };
  receiver = await startWebhookReceiver("thanks");
  ({ base, received, scripts } = receiver);
});
afterAll(async () => {
  await receiver.close();
  await t.cleanup();
});

// Each test starts with an empty queue and only its own endpoints active.
beforeEach(async () => {
  await t.db.webhookEndpoint.updateMany({ where: { status: "active" }, data: { status: "paused" } });
  await t.db.webhookDelivery.updateMany({ where: { status: "pending" }, data: { status: "failed", lockedBy: null, lockedUntil: null } });
});

// Every request any test received verified with the official library.
afterEach(() => {
  expect(receiver.unverified()).toEqual([]);
});

async function endpointAt(path: string, eventTypes = ["agent"]) {
  const created = await createWebhookEndpoint(t.db, { orgId: acme.orgId, actor: owner, input: { url: `${base}${path}`, event_types: eventTypes } });
  receiver.secrets.set(path, [created.secret]);
  return created;
}

/** A worker whose clock the test moves. */
function workerAt(clock: { now: number }, extra: Partial<WebhookWorkerOptions> = {}, db: Db = t.db) {
  return createWebhookWorker(db, { policy, timeoutMs: 2_000, clock: () => new Date(clock.now), random: () => 0.5, retentionDays: 0, ...extra });
}

const deliveriesTo = (endpointId: string) => t.db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
const forPath = (path: string) => received.filter((r) => r.path === path);

describe("webhook delivery worker", () => {
  it("signs every delivery so a Standard Webhooks receiver verifies it, and records the attempt", async () => {
    const { endpoint, secret } = await endpointAt("/ok");
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "signed-bot" } });
    const clock = { now: Date.now() };
    expect(await workerAt(clock).runOnce()).toBeGreaterThanOrEqual(1);
    const [got] = forPath("/ok");
    expect(got.verifiedWith).toEqual([secret]);
    expect(JSON.parse(got.body)).toMatchObject({ type: "agent.created", data: { name: "signed-bot" } });
    const [delivery] = await deliveriesTo(endpoint.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, lockedBy: null });
    const [attempt] = await t.db.webhookAttempt.findMany({ where: { deliveryId: delivery.id } });
    expect(attempt).toMatchObject({ attempt: 1, responseStatus: 200, responseBody: "thanks", error: null, requestBody: got.body });
    expect(JSON.parse(attempt.requestHeaders)).toMatchObject({ "webhook-id": got.id, "webhook-signature": got.signature, "content-type": "application/json" });
  });

  it("retries a 500 on the schedule with the same webhook-id, and succeeds on the next answer", async () => {
    const { endpoint, secret } = await endpointAt("/flaky");
    scripts.set("/flaky", [(res) => res.writeHead(500).end("boom")]);
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "flaky-bot" } });
    const clock = { now: Date.now() };
    const worker = workerAt(clock);
    await worker.runOnce();
    let [delivery] = await deliveriesTo(endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "The endpoint answered 500." });
    // random 0.5: exactly the 5 s step.
    expect(delivery.nextAttemptAt.getTime()).toBe(clock.now + 5_000);
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).not.toBeNull();
    clock.now += 4_000;
    await worker.runOnce();
    expect(forPath("/flaky")).toHaveLength(1);
    clock.now += 1_001;
    await worker.runOnce();
    [delivery] = await deliveriesTo(endpoint.id);
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 2, lastStatusCode: 200 });
    const [first, second] = forPath("/flaky");
    expect(second.id).toBe(first.id);
    expect(Number(second.timestamp) - Number(first.timestamp)).toBe(5);
    for (const r of [first, second]) expect(r.verifiedWith).toEqual([secret]);
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toBeNull();
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: delivery.id } })).toBe(2);
  });

  it("honours Retry-After", async () => {
    const { endpoint } = await endpointAt("/busy");
    scripts.set("/busy", [(res) => res.writeHead(503, { "retry-after": "120" }).end()]);
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "busy-bot" } });
    const clock = { now: Date.now() };
    await workerAt(clock).runOnce();
    const [delivery] = await deliveriesTo(endpoint.id);
    expect(delivery.nextAttemptAt.getTime()).toBe(clock.now + 120_000);
  });

  it("disables an endpoint at once on 410 Gone, fails its queue, and audits webhook.disabled", async () => {
    const { endpoint } = await endpointAt("/gone");
    scripts.set("/gone", [(res) => res.writeHead(410).end("gone")]);
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "gone-1" } });
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "gone-2" } });
    const clock = { now: Date.now() };
    await workerAt(clock, { concurrency: 1 }).runOnce();
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row).toMatchObject({ status: "disabled", disabledReason: "The endpoint answered 410 Gone." });
    const deliveries = await deliveriesTo(endpoint.id);
    expect(deliveries.map((d) => d.status)).toEqual(["failed", "failed"]);
    expect(forPath("/gone")).toHaveLength(1);
    const audit = await t.db.auditEvent.findMany({ where: { action: "webhook.disabled", resourceId: endpoint.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "system", organizationId: acme.orgId });
    expect(await t.db.webhookEvent.count({ where: { type: "webhook.disabled", resourceId: endpoint.id } })).toBe(1);
    // Nothing more goes to a disabled endpoint.
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "gone-3" } });
    expect(await deliveriesTo(endpoint.id)).toHaveLength(2);
  });

  it("gives up on a receiver that sleeps past the timeout, and retries no sooner than a minute", async () => {
    const { endpoint } = await endpointAt("/sleepy");
    scripts.set("/sleepy", [(res) => void setTimeout(() => res.writeHead(200).end(), 3_000)]);
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "sleepy-bot" } });
    const clock = { now: Date.now() };
    const started = Date.now();
    await workerAt(clock, { timeoutMs: 400 }).runOnce();
    expect(Date.now() - started).toBeLessThan(2_500);
    const [delivery] = await deliveriesTo(endpoint.id);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: null });
    expect(delivery.lastError).toMatch(/^Timed out/);
    expect(delivery.nextAttemptAt.getTime()).toBe(clock.now + 60_000);
  });

  it("disables an endpoint that has failed continuously for 5 days", async () => {
    const { endpoint } = await endpointAt("/down");
    scripts.set("/down", [(res) => res.writeHead(502).end()]);
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "down-bot" } });
    const clock = { now: Date.now() };
    await t.db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: new Date(clock.now - 5 * 86_400_000 - 1) } });
    await workerAt(clock).runOnce();
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.status).toBe("disabled");
    expect(row.disabledReason).toMatch(/5 days/);
    expect(await t.db.auditEvent.count({ where: { action: "webhook.disabled", resourceId: endpoint.id } })).toBe(1);
  });

  it("refuses a target outside the allowlist at delivery time and records why", async () => {
    const { endpoint } = await endpointAt("/ok-but-refused");
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "refused-bot" } });
    const clock = { now: Date.now() };
    const before = received.length;
    await workerAt(clock, { policy: { allowHttp: true, allowedPrivate: [] } }).runOnce();
    const [delivery] = await deliveriesTo(endpoint.id);
    expect(delivery.lastError).toMatch(/Refused: 127\.0\.0\.1 is in a non-public range \(loopback\)/);
    expect(received.length).toBe(before);
  });
});

describe("claims", () => {
  it("hands a killed worker's claims to another worker once the lease has run out", async () => {
    const { endpoint } = await endpointAt("/lease");
    for (let i = 0; i < 3; i++) await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: `lease-${i}` } });
    const now = new Date(Date.now() + 1_000);
    const claim = (workerId: string, at: Date) => dialectOf(t.db).claimWebhookDeliveries(t.db, { workerId, now: at, leaseUntil: new Date(at.getTime() + 60_000), limit: 100 });
    const dead = await claim("dead-worker", now);
    const mine = (await deliveriesTo(endpoint.id)).map((d) => d.id);
    expect(dead).toEqual(expect.arrayContaining(mine));
    expect(await claim("live-worker", new Date(now.getTime() + 59_000))).toEqual([]);
    const resumed = await claim("live-worker", new Date(now.getTime() + 60_001));
    expect(resumed).toEqual(expect.arrayContaining(mine));
    expect(resumed.filter((id) => dead.includes(id)).sort()).toEqual([...dead].sort());
  });

  it("never gives one delivery to two workers claiming at once (several clients, as several instances)", async () => {
    await endpointAt("/race");
    const n = 120;
    for (let i = 0; i < n; i++) await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: `race-${i}` } });
    const clients = [t.db, ...Array.from({ length: 3 }, () => createDb(t.url, { poolSize: 4 }))];
    try {
      const now = new Date(Date.now() + 2_000);
      const rounds = await Promise.all(
        clients.flatMap((db, w) =>
          Array.from({ length: 4 }, async () => {
            const got: string[] = [];
            for (;;) {
              const ids = await dialectOf(db).claimWebhookDeliveries(db, { workerId: `w${w}`, now, leaseUntil: new Date(now.getTime() + 60_000), limit: 7 });
              if (ids.length === 0) return got;
              got.push(...ids);
            }
          }),
        ),
      );
      const all = rounds.flat();
      expect(new Set(all).size).toBe(all.length);
      const pending = await t.db.webhookDelivery.count({ where: { status: "pending", lockedBy: null } });
      expect(pending).toBe(0);
      // Several workers really took part.
      expect(rounds.filter((r) => r.length > 0).length).toBeGreaterThan(1);
    } finally {
      for (const db of clients.slice(1)) await db.$disconnect();
    }
  });

  it("delivers every event exactly once with several workers running, and stops gracefully", async () => {
    await endpointAt("/fanout");
    const n = 60;
    for (let i = 0; i < n; i++) await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: `fan-${i}` } });
    const clients = [t.db, createDb(t.url, { poolSize: 4 }), createDb(t.url, { poolSize: 4 })];
    const workers = clients.map((db) => createWebhookWorker(db, { policy, timeoutMs: 2_000, concurrency: 5, pollMs: 20, retentionDays: 0 }));
    try {
      for (const w of workers) w.start();
      const deadline = Date.now() + 20_000;
      while (forPath("/fanout").length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await Promise.all(workers.map((w) => w.stop()));
      const ids = forPath("/fanout").map((r) => r.id);
      expect(ids).toHaveLength(n);
      expect(new Set(ids).size).toBe(n);
      expect(await t.db.webhookDelivery.count({ where: { eventType: "agent.created", lockedBy: { not: null } } })).toBe(0);
    } finally {
      for (const db of clients.slice(1)) await db.$disconnect();
    }
  });

  it("on stop, lets the delivery in flight finish and hands the claimed rest back to the queue", async () => {
    const { endpoint } = await endpointAt("/stop");
    scripts.set("/stop", [(res) => void setTimeout(() => res.writeHead(200).end("late ok"), 400)]);
    for (let i = 0; i < 3; i++) await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: `stop-${i}` } });
    // One lane, three claimed: one in flight when stop() comes, two claimed but not started.
    const worker = createWebhookWorker(t.db, { policy, timeoutMs: 2_000, concurrency: 3, pollMs: 20, retentionDays: 0 });
    const single = createWebhookWorker(t.db, { policy, timeoutMs: 2_000, concurrency: 1, pollMs: 20, retentionDays: 0 });
    single.start();
    while (forPath("/stop").length === 0) await new Promise((r) => setTimeout(r, 10));
    await single.stop();
    const after = await deliveriesTo(endpoint.id);
    expect(after.filter((d) => d.status === "succeeded")).toHaveLength(1);
    expect(await t.db.webhookAttempt.count({ where: { endpointId: endpoint.id, responseBody: "late ok" } })).toBe(1);
    expect(after.filter((d) => d.status === "pending" && d.lockedBy === null)).toHaveLength(2);
    // The rest is delivered by the next worker, once each.
    await worker.runOnce();
    expect((await deliveriesTo(endpoint.id)).map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(new Set(forPath("/stop").map((r) => r.id)).size).toBe(3);
  });
});

describe("retention", () => {
  it("prunes finished history older than the cut and keeps pending work and its event", async () => {
    const { endpoint } = await endpointAt("/old");
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "old-1" } });
    await workerAt({ now: Date.now() }).runOnce();
    await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "old-2" } });
    const pending = (await deliveriesTo(endpoint.id)).find((d) => d.status === "pending")!;
    const cut = new Date(Date.now() + 60_000);
    await pruneWebhookHistory(t.db, cut);
    const left = await deliveriesTo(endpoint.id);
    expect(left.map((d) => d.id)).toEqual([pending.id]);
    expect(await t.db.webhookEvent.count({ where: { id: pending.eventId } })).toBe(1);
    expect(await t.db.webhookAttempt.count({ where: { endpointId: endpoint.id } })).toBe(0);
  });
});
