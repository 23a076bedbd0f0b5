import "server-only";
import type { Db } from "@/lib/server/db/client";
import { RATE_LIMIT_POLICIES, type RateLimitPolicyName } from "./policies";

export type RateLimitState = { limited: false } | { limited: true; retryAfterSeconds: number };

function bucketKey(policy: RateLimitPolicyName, subject: string) {
  return `${policy}:${subject.toLowerCase()}`;
}

function retryAfter(until: Date, now: Date): RateLimitState {
  return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)) };
}

/** Is the subject locked out right now? Reads only. */
export async function checkRateLimit(db: Db, policy: RateLimitPolicyName, subject: string, now = new Date()): Promise<RateLimitState> {
  const bucket = await db.rateLimitBucket.findUnique({ where: { key: bucketKey(policy, subject) } });
  if (bucket?.lockedUntil && bucket.lockedUntil > now) return retryAfter(bucket.lockedUntil, now);
  return { limited: false };
}

/**
 * Count one failure. When the window's count passes the policy's limit the
 * subject is locked out, each lockout twice as long as the previous one.
 * Runs in a transaction so concurrent failures are all counted.
 */
export async function recordRateLimitFailure(db: Db, policy: RateLimitPolicyName, subject: string, now = new Date()): Promise<RateLimitState> {
  const p = RATE_LIMIT_POLICIES[policy];
  const key = bucketKey(policy, subject);
  return db.$transaction(async (tx) => {
    const bucket = await tx.rateLimitBucket.findUnique({ where: { key } });
    const windowOpen = bucket && now.getTime() - bucket.windowStart.getTime() < p.windowMs;
    const count = windowOpen ? bucket.count + 1 : 1;
    const windowStart = windowOpen ? bucket.windowStart : now;
    let strikes = bucket?.strikes ?? 0;
    let lockedUntil = bucket?.lockedUntil ?? null;
    if (count > p.limit) {
      const duration = Math.min(p.lockoutMs * 2 ** strikes, p.maxLockoutMs);
      lockedUntil = new Date(now.getTime() + duration);
      strikes += 1;
    }
    // A new lockout starts a new window, so the next one needs `limit` fresh failures.
    const fresh = count > p.limit;
    const data = { count: fresh ? 0 : count, windowStart: fresh ? now : windowStart, strikes, lockedUntil };
    await tx.rateLimitBucket.upsert({ where: { key }, create: { key, ...data }, update: data });
    return lockedUntil && lockedUntil > now ? retryAfter(lockedUntil, now) : { limited: false };
  });
}

/** Forget a subject's failures after a success (strikes decay with it). */
export async function resetRateLimit(db: Db, policy: RateLimitPolicyName, subject: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key: bucketKey(policy, subject) } });
}
