import "server-only";
import type { Db } from "@/lib/server/db/client";

const WINDOW_MS = 60_000;
const FLUSH_MS = 500;
const LAST_USED_EVERY_MS = 60_000;

interface Counter {
  windowStart: number;
  /** Requests counted here and not yet written to the shared table. */
  pending: number;
  /** The shared total (every instance) at the last flush. */
  shared: number;
  /** A read of the shared total, while it is under way. */
  loaded: Promise<void> | null;
  /** When the shared total was last read (by a flush or before a decision), epoch ms. */
  refreshedAt: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Per-key request limits in fixed one-minute windows, summed across
 * instances. Each instance counts locally (no database write on the request
 * path) and every 500 ms adds its counts to ApiKeyUsage and reads back the
 * total, so a key's limit holds across instances to within one flush interval
 * of the other instances' traffic (Unkey's approach: local counters replayed
 * to a shared store). On SQLite, one instance, the count is exact.
 *
 * The same loop writes `lastUsedAt`/IP at most once a minute per key, guarded
 * by a condition so several instances do not repeat it.
 */
export class KeyUsage {
  #counters = new Map<string, Counter>();
  #lastUsed = new Map<string, { at: number; ip: string | null; written: number }>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  /**
   * Count one request of `keyId` against `limit` a minute; refused requests
   * are not counted. A decision never rests on a shared total older than one
   * flush interval: an instance that was quiet reads it again first, so it does
   * not start from a stale count while the others have used the key.
   */
  async consume(keyId: string, limit: number, now = Date.now()): Promise<RateDecision> {
    const windowStart = now - (now % WINDOW_MS);
    let c = this.#counters.get(keyId);
    if (!c || c.windowStart !== windowStart) {
      c = { windowStart, pending: 0, shared: 0, loaded: null, refreshedAt: 0 };
      this.#counters.set(keyId, c);
    }
    // The shared total is read back by every flush of this instance; when that is older than a
    // flush interval (this instance was quiet while others were busy), read it before deciding.
    if (!c.loaded && now - c.refreshedAt > FLUSH_MS) {
      const counter = c;
      counter.refreshedAt = now;
      counter.loaded = this.db.apiKeyUsage
        .findUnique({ where: { keyId_windowStart: { keyId, windowStart: new Date(windowStart) } }, select: { count: true } })
        .then((row) => {
          counter.shared = Math.max(counter.shared, row?.count ?? 0);
        })
        .catch(() => undefined)
        .finally(() => {
          counter.loaded = null;
        });
    }
    if (c.loaded) await c.loaded;
    const used = c.shared + c.pending;
    const resetSeconds = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    if (used >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
    c.pending += 1;
    this.#schedule();
    return { allowed: true, limit, remaining: Math.max(0, limit - used - 1), resetSeconds };
  }

  /** Note a successful use; written with the next flush, at most once a minute per key. */
  touch(keyId: string, ip: string | null, now = Date.now()) {
    const prior = this.#lastUsed.get(keyId);
    this.#lastUsed.set(keyId, { at: now, ip, written: prior?.written ?? 0 });
    this.#schedule();
  }

  #schedule() {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, FLUSH_MS);
    this.#timer.unref();
  }

  /** Write pending counts and last uses; returns when done (tests call it directly). */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #flush() {
    const now = Date.now();
    for (const [keyId, c] of this.#counters) {
      if (c.windowStart + WINDOW_MS < now - WINDOW_MS) {
        this.#counters.delete(keyId);
        continue;
      }
      if (c.pending === 0) continue;
      const add = c.pending;
      c.pending = 0;
      try {
        const windowStart = new Date(c.windowStart);
        const row = await this.db.apiKeyUsage.upsert({
          where: { keyId_windowStart: { keyId, windowStart } },
          create: { keyId, windowStart, count: add },
          update: { count: { increment: add } },
        });
        // Another window may have begun meanwhile; only update the counter of the window written.
        if (this.#counters.get(keyId) === c) {
          c.shared = Math.max(c.shared, row.count);
          c.refreshedAt = Date.now();
        }
      } catch (error) {
        c.pending += add;
        console.error("[gatehouse] could not record API key usage", error instanceof Error ? error.message : error);
      }
    }
    for (const [keyId, use] of this.#lastUsed) {
      if (now - use.written < LAST_USED_EVERY_MS) continue;
      use.written = now;
      await this.db.apiKey
        .updateMany({
          where: { id: keyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(use.at - LAST_USED_EVERY_MS) } }] },
          data: { lastUsedAt: new Date(use.at), lastUsedIp: use.ip },
        })
        .catch(() => undefined);
    }
    // Old windows are not needed for anything.
    if (Math.random() < 0.01) await this.db.apiKeyUsage.deleteMany({ where: { windowStart: { lt: new Date(now - 10 * WINDOW_MS) } } }).catch(() => undefined);
    if ([...this.#counters.values()].some((c) => c.pending > 0)) this.#schedule();
  }
}

// On globalThis, like the key cache: Next.js may load this module once per bundle (each API
// route's copy would otherwise count a key's requests apart from the others').
const globalForUsage = globalThis as unknown as { gatehouseKeyUsages?: WeakMap<Db, KeyUsage> };
const usages = (globalForUsage.gatehouseKeyUsages ??= new WeakMap<Db, KeyUsage>());

export function keyUsageFor(db: Db): KeyUsage {
  let usage = usages.get(db);
  if (!usage) {
    usage = new KeyUsage(db);
    usages.set(db, usage);
  }
  return usage;
}
