import "server-only";

export interface RateLimitPolicy {
  /** Failures allowed inside one window before the subject is locked out. */
  limit: number;
  windowMs: number;
  /** First lockout; each further lockout doubles it, up to maxLockoutMs. */
  lockoutMs: number;
  maxLockoutMs: number;
}

const MINUTE = 60_000;

/** Every rate limit in Gatehouse, by name. Counters live in RateLimitBucket. */
export const RATE_LIMIT_POLICIES = {
  "sign-in:account": { limit: 5, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
  "sign-in:ip": { limit: 30, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
  "setup:ip": { limit: 10, windowMs: 15 * MINUTE, lockoutMs: 15 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
  "invitation:ip": { limit: 10, windowMs: 15 * MINUTE, lockoutMs: 15 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
  // Second factors and re-verification (TOTP, recovery codes, security keys, sudo password).
  "factor:account": { limit: 5, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
  "factor:ip": { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
  // Unauthenticated passkey challenges: every start counts, so nobody can fill the challenge table.
  "passkey-start:ip": { limit: 60, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 60 * MINUTE },
  "passkey:ip": { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: 24 * 60 * MINUTE },
} satisfies Record<string, RateLimitPolicy>;

export type RateLimitPolicyName = keyof typeof RATE_LIMIT_POLICIES;
