import "server-only";
import { hostname } from "node:os";
import type { Db } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { newId } from "@/lib/server/crypto";
import { isDatabaseDown, isDatabaseUnavailable } from "@/lib/server/db/availability";
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
  /** After a failed round: wait this long, doubling per failure in a row up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface WebhookWorkerStats {
  /** Rounds that asked the database for work (a round is skipped while it is marked unreachable). */
  rounds: number;
  failedRounds: number;
  /** Failed rounds in a row now (0 when the last round worked). */
  failingInARow: number;
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
  stats(): WebhookWorkerStats;
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
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const stats: WebhookWorkerStats = { rounds: 0, failedRounds: 0, failingInARow: 0 };

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

  /**
   * Wait `ms`, or less: stop() and the nudge end it, and so does the database
   * coming back (the availability probe of lib/server/db/availability.ts saw it
   * answer), so a long back-off does not delay deliveries after an outage.
   */
  function pause(ms: number, untilDatabaseBack: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      const started = Date.now();
      let timer: ReturnType<typeof setTimeout>;
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const tick = () => {
        const left = ms - (Date.now() - started);
        if (stopping || left <= 0 || (untilDatabaseBack && !isDatabaseDown())) return done();
        // Reading the flag costs nothing; the database is not asked while it is marked down.
        timer = setTimeout(tick, untilDatabaseBack ? Math.min(left, pollMs) : left);
      };
      wake = done;
      tick();
    });
  }

  /**
   * The loop. While the database is marked unreachable it asks nothing (the
   * availability probe owns the check, and a failing poll from here would
   * mark the outage again right after the probe cleared it); a round that
   * fails anyway backs off exponentially up to maxBackoffMs, and a failure
   * streak is logged once when it starts and once when it ends.
   */
  async function run() {
    while (!stopping) {
      if (isDatabaseDown()) {
        if (stats.failingInARow === 0) console.error("[gatehouse] webhook worker: the database cannot be reached; pausing deliveries until it answers");
        stats.failingInARow = Math.max(stats.failingInARow, 1);
        await pause(maxBackoffMs, true);
        continue;
      }
      let claimed = 0;
      try {
        stats.rounds++;
        await maybePrune();
        claimed = await runOnce();
        if (stats.failingInARow > 0) console.log(`[gatehouse] webhook worker: deliveries resumed (after ${stats.failingInARow} failed or skipped round(s))`);
        stats.failingInARow = 0;
      } catch (e) {
        stats.failedRounds++;
        stats.failingInARow++;
        if (stats.failingInARow === 1) {
          const why = isDatabaseUnavailable(e) ? "the database cannot be reached" : e instanceof Error ? e.message : String(e);
          console.error(`[gatehouse] webhook worker round failed: ${why}; backing off (up to ${maxBackoffMs / 1000} s between tries)`);
        }
      }
      if (stopping) break;
      if (stats.failingInARow > 0) await pause(Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(stats.failingInARow - 1, 20)), false);
      // A full round means more is probably due: go again at once.
      else if (claimed < concurrency) await pause(pollMs, false);
    }
  }

  return {
    workerId,
    runOnce,
    start() {
      if (!loop) loop = run();
    },
    stats: () => ({ ...stats }),
    async stop() {
      stopping = true;
      (wake as (() => void) | null)?.();
      await loop;
      // Anything still claimed by this worker and not started goes back to the queue.
      await db.webhookDelivery.updateMany({ where: { lockedBy: workerId, status: "pending" }, data: { lockedBy: null, lockedUntil: null } });
    },
  };
}
