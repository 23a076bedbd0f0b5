import type { BucketRule } from "./policies";

/** The stored state of one bucket (a RateLimitBucket row without its key). */
export interface BucketState {
  count: number;
  windowStart: Date;
  strikes: number;
  consecutive: number;
  lockedUntil: Date | null;
  lastFailureAt: Date | null;
}

export type Verdict = { allowed: true; state: BucketState } | { allowed: false; retryAfterMs: number };

export function emptyBucket(now: Date): BucketState {
  return { count: 0, windowStart: now, strikes: 0, consecutive: 0, lockedUntil: null, lastFailureAt: null };
}

/** Apply the passage of time: ended lockouts, ended windows, decayed strikes. Pure. */
export function settle(state: BucketState, rule: BucketRule, now: Date): BucketState {
  const s = { ...state };
  const t = now.getTime();
  if (s.lastFailureAt && t - s.lastFailureAt.getTime() >= rule.decayMs) {
    s.strikes = 0;
    s.consecutive = 0;
  }
  if (s.lockedUntil && s.lockedUntil.getTime() <= t) {
    // A lockout just ended: one more attempt, whose failure locks again for
    // longer; a whole quiet window after it starts afresh.
    const quiet = t - s.lockedUntil.getTime() >= rule.windowMs;
    s.count = quiet ? 0 : rule.limit - 1;
    s.windowStart = now;
    s.lockedUntil = null;
  } else if (!s.lockedUntil && t - s.windowStart.getTime() >= rule.windowMs) {
    s.count = 0;
    s.windowStart = now;
  }
  return s;
}

/**
 * Reserve one attempt before the slow check. Refused while locked out, when
 * the NIST cap of consecutive failures is reached, or when the window's
 * allowance is already taken (by failures or by attempts still in flight):
 * that last rule is what stops a parallel burst from being checked more than
 * `limit` times. Pure: the caller stores `state` in the same transaction.
 */
export function reserve(state: BucketState, rule: BucketRule, now: Date): Verdict {
  const s = settle(state, rule, now);
  const t = now.getTime();
  if (s.lockedUntil && s.lockedUntil.getTime() > t) return { allowed: false, retryAfterMs: s.lockedUntil.getTime() - t };
  if (rule.maxConsecutive !== undefined && s.consecutive >= rule.maxConsecutive) {
    return { allowed: false, retryAfterMs: Math.max(1000, (s.lastFailureAt?.getTime() ?? t) + rule.decayMs - t) };
  }
  if (s.count >= rule.limit) return { allowed: false, retryAfterMs: Math.max(1000, s.windowStart.getTime() + rule.windowMs - t) };
  return { allowed: true, state: { ...s, count: s.count + 1 } };
}

/** The reserved attempt failed: it stays counted; reaching the limit locks, each lockout longer. Pure. */
export function fail(state: BucketState, rule: BucketRule, now: Date): BucketState {
  const s = { ...state, consecutive: state.consecutive + 1, lastFailureAt: now };
  const locked = s.lockedUntil && s.lockedUntil.getTime() > now.getTime();
  if (s.count >= rule.limit && !locked) {
    s.lockedUntil = new Date(now.getTime() + Math.min(rule.lockoutMs * 2 ** s.strikes, rule.maxLockoutMs));
    s.strikes += 1;
  }
  return s;
}

/**
 * The reserved attempt succeeded: it is handed back and the consecutive
 * count restarts. `forgive` (the caller's own account-and-network or device
 * bucket) also forgets that subject's failures and lockouts. Pure.
 */
export function succeed(state: BucketState, forgive: boolean): BucketState {
  if (forgive) return { ...state, count: 0, strikes: 0, consecutive: 0, lockedUntil: null };
  return { ...state, count: Math.max(0, state.count - 1), consecutive: 0 };
}
