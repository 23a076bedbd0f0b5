import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// Receivers run on 127.0.0.1: allowed here, by the private allowlist, in tests only.
process.env.WEBHOOKS_ALLOW_HTTP = "true";
process.env.WEBHOOKS_ALLOWED_PRIVATE_CIDRS = "127.0.0.1/32";

import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { startWebhookReceiver, type WebhookReceiver } from "@/test/webhook-receiver";
import { createDb, type Db } from "@/lib/server/db/client";
import { isDatabaseDown, markDatabaseUp } from "@/lib/server/db/availability";
import { parseIpRange, type IpRange } from "@/lib/net/client-ip";
import { createResource } from "@/lib/server/resources/create-resource";
import { createWebhookEndpoint } from "../create-webhook-endpoint";
import { createWebhookWorker } from "./webhook-worker";

const loopback = parseIpRange("127.0.0.1/32") as { ok: true; range: IpRange };
const policy = { allowHttp: true, allowedPrivate: [loopback.range] };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A database the test can make appear: on SQLite a file in a directory that
 * does not exist yet (a copy of a freshly migrated file lands there); on
 * PostgreSQL a TCP proxy to the test database that starts closed (connection
 * refused) and starts listening when the database "comes back".
 */
interface LateDatabase {
  url: string;
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function lateDatabase(t: TestDb): Promise<LateDatabase> {
  if (t.provider === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-late-"));
    const file = path.join(dir, "not-yet", "test.db");
    const source = t.url.slice("file:".length);
    return {
      url: `file:${file}`,
      async comeBack() {
        mkdirSync(path.dirname(file));
        copyFileSync(source, file);
      },
      async close() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const target = new URL(t.url);
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  const url = new URL(t.url);
  url.port = String(port);
  return {
    url: url.toString(),
    comeBack: () => new Promise<void>((r) => proxy.listen(port, "127.0.0.1", r)),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => (proxy.listening ? proxy.close(r) : r(undefined)));
    },
  };
}

let t: TestDb;
let receiver: WebhookReceiver;

beforeAll(async () => {
  t = await createTestDb();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await t.cleanup();
});
afterEach(() => {
  vi.restoreAllMocks();
  markDatabaseUp();
});

describe("the worker during a database outage", () => {
  it("backs off without a tight loop or a log flood, asks nothing while the database is marked down, and delivers once it is back without re-marking it", async () => {
    const late = await lateDatabase(t);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const logs = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const db: Db = createDb(late.url, { poolSize: 2 });
    // pollMs 10: the old loop retried a failing round every 10 ms and logged each failure.
    const worker = createWebhookWorker(db, { policy, timeoutMs: 2_000, pollMs: 10, backoffMs: 100, maxBackoffMs: 1_000, retentionDays: 0 });
    try {
      worker.start();
      await sleep(2_500);
      expect(isDatabaseDown()).toBe(true);
      const during = worker.stats();
      // The first round fails and marks the database down; afterwards the worker only reads the flag.
      expect(during.rounds).toBeLessThanOrEqual(3);
      expect(during.failingInARow).toBeGreaterThanOrEqual(1);
      const workerErrors = () => errors.mock.calls.filter(([m]) => String(m).includes("webhook worker"));
      expect(workerErrors()).toHaveLength(1);

      await late.comeBack();
      // The availability probe (every 2 s) sees it answer; the worker resumes on its own.
      await expect.poll(() => isDatabaseDown(), { timeout: 10_000, interval: 50 }).toBe(false);
      const acme = await seedOrg(db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
      const owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, request: testRequest };
      const { secret } = await createWebhookEndpoint(db, { orgId: acme.orgId, actor: owner, input: { url: `${receiver.base}/after-outage`, event_types: ["agent"] } });
      receiver.secrets.set("/after-outage", [secret]);
      await createResource(db, { orgId: acme.orgId, type: "agent", actor: owner, input: { name: "back-bot" } });
      await expect.poll(() => receiver.received.filter((r) => r.path === "/after-outage").length, { timeout: 5_000, interval: 50 }).toBe(1);
      expect(receiver.unverified()).toEqual([]);
      expect(worker.stats().failingInARow).toBe(0);
      expect(logs.mock.calls.filter(([m]) => String(m).includes("deliveries resumed"))).toHaveLength(1);
      // Nothing from the worker marks the outage again after recovery.
      await sleep(500);
      expect(isDatabaseDown()).toBe(false);
      expect(workerErrors()).toHaveLength(1);
    } finally {
      await worker.stop();
      await db.$disconnect().catch(() => undefined);
      await late.close();
    }
  });

  it("backs off exponentially, up to the cap, when rounds keep failing for another reason", async () => {
    // A database that answers but lacks the tables: every round fails, the database is not down.
    const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-empty-"));
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const db = t.provider === "sqlite" ? createDb(`file:${path.join(dir, "empty.db")}`) : createDb(new URL("/postgres", t.url).toString(), { poolSize: 2 });
    const worker = createWebhookWorker(db, { policy, timeoutMs: 2_000, pollMs: 10, backoffMs: 100, maxBackoffMs: 400, retentionDays: 0 });
    try {
      worker.start();
      await sleep(2_000);
      const { failedRounds, rounds } = worker.stats();
      expect(isDatabaseDown()).toBe(false);
      // 100 + 200 + 400 + 400 + 400 … ms: about 6 rounds in 2 s (a 10 ms loop would be ~200).
      expect(failedRounds).toBe(rounds);
      expect(rounds).toBeGreaterThanOrEqual(3);
      expect(rounds).toBeLessThanOrEqual(9);
      expect(errors.mock.calls.filter(([m]) => String(m).includes("webhook worker"))).toHaveLength(1);
    } finally {
      await worker.stop().catch(() => undefined);
      await db.$disconnect().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
