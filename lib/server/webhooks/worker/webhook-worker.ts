import "server-only";
import { hostname } from "node:os";
import type { Db } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { newId } from "@/lib/server/crypto";
import { deliverClaimedWebhook, type DeliveryContext } from "./deliver-webhook";
import { pruneWebhookHistory } from "../prune-webhook-history";

export interface WebhookWorkerOptions extends Partial<Omit<DeliveryContext, "policy" | "timeoutMs">> {
  policy: DeliveryContext["policy"];
  timeoutMs: number;
  /** Deliveries sent at once (and claimed per round). */
  concurrency?: number;
  /** How long to wait for due work when there was none. */
  pollMs?: number;
  /** History older than this many days is deleted (hourly); 0 turns pruning off. */
  retentionDays?: number;
}

export interface WebhookWorker {
  readonly workerId: string;
  /** Claim and send what is due now, once; resolves with the number claimed. */
  runOnce(): Promise<number>;
  /** Start the loop (poll, claim, send) until stop(). */
  start(): void;
  /**
   * Stop claiming, let the deliveries in flight finish (each is bounded by
   * the timeout), and hand back any claimed delivery not started yet.
   */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 3_600_000;

/**
 * The delivery worker: one loop that claims due deliveries with a lease
 * (lib/server/db/*\/dialect.ts), sends them concurrently and records each
 * attempt. Any number of workers can run against one database; a killed
 * worker's claims come back when their lease runs out.
 */
export function createWebhookWorker(db: Db, options: WebhookWorkerOptions): WebhookWorker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 16;
  const pollMs = options.pollMs ?? 500;
  // Longer than one delivery can take (the timeout) with room for the database writes.
  const leaseMs = options.timeoutMs + 60_000;
  const ctx: DeliveryContext = {
    workerId,
    policy: options.policy,
    timeoutMs: options.timeoutMs,
    resolver: options.resolver,
    agents: options.agents,
    clock: options.clock ?? (() => new Date()),
    random: options.random ?? Math.random,
  };
  let stopping = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let lastPrune = 0;

  async function runOnce(): Promise<number> {
    const now = ctx.clock();
    const ids = await dialectOf(db).claimWebhookDeliveries(db, { workerId, now, leaseUntil: new Date(now.getTime() + leaseMs), limit: concurrency });
    const queue = [...ids];
    const lane = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        if (stopping) {
          queue.unshift(id);
          return;
        }
        try {
          await deliverClaimedWebhook(db, id, ctx);
        } catch (e) {
          // The claim stays until its lease ends; then another round retries it.
          console.error(`[gatehouse] webhook delivery ${id} failed in the worker: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, lane));
    if (queue.length > 0) {
      await db.webhookDelivery.updateMany({ where: { id: { in: queue }, lockedBy: workerId, status: "pending" }, data: { lockedBy: null, lockedUntil: null } });
    }
    return ids.length;
  }

  async function maybePrune() {
    if (!options.retentionDays || Date.now() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = Date.now();
    await pruneWebhookHistory(db, new Date(ctx.clock().getTime() - options.retentionDays * 86_400_000));
  }

  async function run() {
    while (!stopping) {
      let claimed = 0;
      try {
        await maybePrune();
        claimed = await runOnce();
      } catch (e) {
        console.error(`[gatehouse] webhook worker round failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      // A full round means more is probably due: go again at once.
      if (claimed < concurrency && !stopping) await new Promise<void>((r) => {
        const timer = setTimeout(r, pollMs);
        wake = () => {
          clearTimeout(timer);
          r();
        };
      });
      wake = null;
    }
  }

  return {
    workerId,
    runOnce,
    start() {
      if (!loop) loop = run();
    },
    async stop() {
      stopping = true;
      (wake as (() => void) | null)?.();
      await loop;
      // Anything still claimed by this worker and not started goes back to the queue.
      await db.webhookDelivery.updateMany({ where: { lockedBy: workerId, status: "pending" }, data: { lockedBy: null, lockedUntil: null } });
    },
  };
}
