import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { sha256Hex } from "@/lib/server/crypto";
import { rateLimitNetwork } from "@/lib/net/client-ip";
import { emptyBucket, fail, reserve, succeed, type BucketState } from "./bucket";
import { rulesOf, type BucketRule, type BucketScope, type RateLimitPurpose } from "./policies";
import { purgeStaleBucketsNow } from "./purge";

/** Who an attempt is from and for. */
export interface AttemptSubject {
  /** The account the attempt is for (normalised email or user id); absent for purposes without one. */
  account?: string | null;
  /** The user behind `account` when known; needed to recognise a known device. */
  userId?: string | null;
  ip: string | null;
  /** The `gatehouse.device` cookie's token, if the browser sent one. */
  deviceToken?: string | null;
}

export interface Reservation {
  /** The attempt succeeded: hand the reservation back, restart consecutive counts, forgive this subject's own bucket. */
  succeeded(): Promise<void>;
  /** The attempt failed: it stays counted. Returns the wait now imposed, if this failure locked a bucket. */
  failed(): Promise<{ retryAfterSeconds: number } | null>;
}

export type ReserveOutcome = { ok: true; reservation: Reservation } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  key: string;
  rule: BucketRule;
  /** The subject's own bucket (account on this network or device): forgiven on success. */
  own: boolean;
}

/** A token that fits in a key whatever the browser sent. */
const tokenKey = (token: string) => sha256Hex(token).slice(0, 32);

async function isKnownDevice(db: Db, subject: AttemptSubject): Promise<boolean> {
  if (!subject.userId || !subject.deviceToken) return false;
  const device = await db.knownDevice.findUnique({
    where: { userId_tokenHash: { userId: subject.userId, tokenHash: sha256Hex(subject.deviceToken) } },
    select: { id: true },
  });
  return device !== null;
}

/** The buckets an attempt counts in, from the purpose's rules and the subject. */
function bucketsFor(purpose: RateLimitPurpose, subject: AttemptSubject, knownDevice: boolean): Bucket[] {
  const rules = rulesOf(purpose);
  const network = rateLimitNetwork(subject.ip);
  const account = subject.account?.trim().toLowerCase() || null;
  const key = (scope: BucketScope, value: string) => `${purpose}:${scope}:${value}`;
  const out: Bucket[] = [];
  const add = (scope: BucketScope, value: string, own = false) => {
    const rule = rules[scope];
    if (rule) out.push({ key: key(scope, value), rule, own });
  };
  if (account && knownDevice && subject.deviceToken) {
    // A device that signed in before counts alone: nothing an attacker does elsewhere reaches it.
    add("account_device", `${account}|${tokenKey(subject.deviceToken)}`, true);
    return out;
  }
  if (account) {
    add("account_network", `${account}|${network}`, true);
    add("account", account);
  }
  add("network", network);
  add("global", "all");
  return out;
}

function rowToState(row: { count: number; windowStart: Date; strikes: number; consecutive: number; lockedUntil: Date | null; lastFailureAt: Date | null }): BucketState {
  return { count: row.count, windowStart: row.windowStart, strikes: row.strikes, consecutive: row.consecutive, lockedUntil: row.lockedUntil, lastFailureAt: row.lastFailureAt };
}

/**
 * Lock the buckets (every instance waits for this transaction), read them,
 * and let `change` compute their next states; write the ones it returns.
 */
async function withBuckets<T>(
  db: Db,
  buckets: Bucket[],
  change: (current: Map<string, BucketState>, now: Date) => { writes: Map<string, BucketState>; result: T },
): Promise<T> {
  return db.$transaction(
    async (tx: Tx) => {
      await dialectOf(tx).lockKeys(tx, buckets.map((b) => `rate-limit:${b.key}`));
      const rows = await tx.rateLimitBucket.findMany({ where: { key: { in: buckets.map((b) => b.key) } } });
      // Read the clock after the lock: a transaction that waited must not act on a stale "now".
      const now = new Date();
      const current = new Map(buckets.map((b) => [b.key, emptyBucket(now)]));
      for (const row of rows) current.set(row.key, rowToState(row));
      const { writes, result } = change(current, now);
      for (const [key, state] of writes) {
        await tx.rateLimitBucket.upsert({ where: { key }, create: { key, ...state }, update: state });
      }
      return result;
    },
  );
}

/**
 * Reserve an attempt before the slow check (argon2, TOTP, WebAuthn), in one
 * transaction over every bucket of the subject: refused while any of them is
 * locked or full, otherwise counted in all of them at once. So N parallel
 * attempts are checked at most `limit` times, on every instance; the caller
 * reports the outcome with `succeeded()` or `failed()`. An attempt whose
 * outcome is never reported (a crash) stays counted, the safe side.
 */
export async function reserveAttempt(db: Db, purpose: RateLimitPurpose, subject: AttemptSubject): Promise<ReserveOutcome> {
  purgeStaleBucketsNow(db);
  const buckets = bucketsFor(purpose, subject, await isKnownDevice(db, subject));
  // Fast refusal without a lock: during a burst most attempts find a bucket
  // locked or full and are turned away here, instead of queueing for the lock.
  // A stale read can only refuse, never allow: allowing happens under the lock.
  const early = await refusedWithoutLock(db, buckets);
  if (early > 0) return { ok: false, retryAfterSeconds: Math.ceil(early / 1000) };
  const refusal = await withBuckets(db, buckets, (current, now) => {
    const writes = new Map<string, BucketState>();
    let wait = 0;
    for (const b of buckets) {
      const verdict = reserve(current.get(b.key)!, b.rule, now);
      if (verdict.allowed) writes.set(b.key, verdict.state);
      else wait = Math.max(wait, verdict.retryAfterMs);
    }
    // All or nothing: a refused attempt counts nowhere.
    return wait > 0 ? { writes: new Map(), result: wait } : { writes, result: 0 };
  });
  if (refusal > 0) return { ok: false, retryAfterSeconds: Math.ceil(refusal / 1000) };

  return {
    ok: true,
    reservation: {
      succeeded: () =>
        withBuckets(db, buckets, (current) => ({
          writes: new Map(buckets.map((b) => [b.key, succeed(current.get(b.key)!, b.own)])),
          result: undefined,
        })),
      failed: () =>
        withBuckets(db, buckets, (current, now) => {
          const writes = new Map<string, BucketState>();
          let wait = 0;
          for (const b of buckets) {
            const next = fail(current.get(b.key)!, b.rule, now);
            writes.set(b.key, next);
            if (next.lockedUntil && next.lockedUntil > now) wait = Math.max(wait, next.lockedUntil.getTime() - now.getTime());
          }
          return { writes, result: wait > 0 ? { retryAfterSeconds: Math.ceil(wait / 1000) } : null };
        }),
    },
  };
}

/** The longest wait any bucket imposes right now (0: none), from a plain read. */
async function refusedWithoutLock(db: Db, buckets: Bucket[]): Promise<number> {
  const rows = await db.rateLimitBucket.findMany({ where: { key: { in: buckets.map((b) => b.key) } } });
  const now = new Date();
  let wait = 0;
  for (const row of rows) {
    const bucket = buckets.find((b) => b.key === row.key);
    const verdict = bucket ? reserve(rowToState(row), bucket.rule, now) : null;
    if (verdict && !verdict.allowed) wait = Math.max(wait, verdict.retryAfterMs);
  }
  return wait;
}

/** Remember that this browser completed a sign-in for the user (see BucketScope `account_device`). */
export async function rememberDevice(db: Db | Tx, userId: string, deviceToken: string | null | undefined): Promise<void> {
  if (!deviceToken) return;
  const tokenHash = sha256Hex(deviceToken);
  const now = new Date();
  await db.knownDevice.upsert({
    where: { userId_tokenHash: { userId, tokenHash } },
    create: { id: tokenKey(`${userId}:${deviceToken}`), userId, tokenHash, createdAt: now, lastSeenAt: now },
    update: { lastSeenAt: now },
  });
}
