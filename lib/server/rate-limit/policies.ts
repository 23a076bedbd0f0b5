import "server-only";

/**
 * One bucket's rule (lib/server/rate-limit/bucket.ts has the arithmetic):
 * `limit` attempts may fail inside a window of `windowMs`; the failure that
 * reaches the limit locks the bucket for `lockoutMs`, each further lockout
 * twice as long up to `maxLockoutMs` (growing delays, NIST 800-63B 5.2.2).
 * After a lockout one more attempt is allowed before the next, longer one.
 * Lockouts are forgotten (strikes decay) after `decayMs` without failures.
 * `maxConsecutive` caps failures since the last success (NIST: at most 100).
 */
export interface BucketRule {
  limit: number;
  windowMs: number;
  lockoutMs: number;
  maxLockoutMs: number;
  decayMs: number;
  maxConsecutive?: number;
}

/**
 * What a bucket counts:
 * - `account_network`: one account from one source network (IPv4 address,
 *   IPv6 /64): the only place a short hard lockout is applied, so an attacker
 *   locks out their own network, never the account.
 * - `account_device`: one account from a browser that completed a sign-in for
 *   it before (the signed device cookie); replaces `account_network` for such
 *   a browser and is exempt from the account-wide and global buckets, so the
 *   real user's own device keeps working during an attack.
 * - `account`: the account from anywhere: small growing delays only, to slow a
 *   distributed attack, and the NIST cap of 100 consecutive failures.
 * - `network`: one source network, across accounts (password spraying).
 * - `global`: every attempt of the purpose (a ceiling for floods from many networks).
 */
export type BucketScope = "account_network" | "account_device" | "account" | "network" | "global";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const accountOnNetwork: BucketRule = { limit: 5, windowMs: 15 * MINUTE, lockoutMs: MINUTE, maxLockoutMs: HOUR, decayMs: DAY };
const accountAnywhere: BucketRule = { limit: 20, windowMs: HOUR, lockoutMs: 10 * SECOND, maxLockoutMs: 15 * MINUTE, decayMs: DAY, maxConsecutive: 100 };

/**
 * Every rate limit in Gatehouse, by purpose; each purpose has its own buckets,
 * so failing sudo does not lock sign-in and the reverse. Purposes without an
 * account (passkey sign-in, setup, invitations) count the network only.
 */
export const RATE_LIMIT_POLICIES = {
  sign_in: {
    account_network: accountOnNetwork,
    account_device: accountOnNetwork,
    account: accountAnywhere,
    network: { limit: 30, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: DAY },
    global: { limit: 1000, windowMs: MINUTE, lockoutMs: 30 * SECOND, maxLockoutMs: 5 * MINUTE, decayMs: HOUR },
  },
  // The second factor after the password, at sign-in.
  second_factor: {
    account_network: accountOnNetwork,
    account_device: accountOnNetwork,
    account: { ...accountAnywhere, limit: 10 },
    network: { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: DAY },
  },
  sudo: {
    account_network: accountOnNetwork,
    account_device: accountOnNetwork,
    account: { ...accountAnywhere, limit: 10 },
    network: { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: DAY },
  },
  restore_trust: {
    account_network: accountOnNetwork,
    account_device: accountOnNetwork,
    account: { ...accountAnywhere, limit: 10 },
    network: { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: DAY },
  },
  // Fresh proof for removing a second factor (disable TOTP, remove a security key).
  factor_removal: {
    account_network: accountOnNetwork,
    account_device: accountOnNetwork,
    account: { ...accountAnywhere, limit: 10 },
    network: { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: DAY },
  },
  passkey_sign_in: {
    network: { limit: 20, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: DAY },
    global: { limit: 1000, windowMs: MINUTE, lockoutMs: 30 * SECOND, maxLockoutMs: 5 * MINUTE, decayMs: HOUR },
  },
  // Unauthenticated passkey challenges: every start counts, so nobody can fill the challenge table.
  passkey_start: {
    network: { limit: 60, windowMs: 15 * MINUTE, lockoutMs: 5 * MINUTE, maxLockoutMs: HOUR, decayMs: HOUR },
  },
  setup: {
    network: { limit: 10, windowMs: 15 * MINUTE, lockoutMs: 15 * MINUTE, maxLockoutMs: DAY, decayMs: DAY },
  },
  invitation: {
    network: { limit: 10, windowMs: 15 * MINUTE, lockoutMs: 15 * MINUTE, maxLockoutMs: DAY, decayMs: DAY },
  },
} satisfies Record<string, Partial<Record<BucketScope, BucketRule>>>;

export type RateLimitPurpose = keyof typeof RATE_LIMIT_POLICIES;

/** The rules of a purpose, by scope. */
export function rulesOf(purpose: RateLimitPurpose): Partial<Record<BucketScope, BucketRule>> {
  return RATE_LIMIT_POLICIES[purpose];
}

/** Buckets untouched this long (and not locked) are deleted; longer than every window and decay above. */
export const STALE_BUCKET_MS = 2 * DAY;
