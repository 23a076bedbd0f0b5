/**
 * When a failed delivery is tried again (DESIGN.md "Webhooks", Svix's
 * schedule): the first attempt is immediate, then 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h and 10 h after each failure, each ±20 % so that a receiver that
 * comes back is not hit by every queued delivery at the same instant.
 */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
export const JITTER = 0.2;
/** After a timeout or a 429 the receiver is struggling: at least this long. */
export const OVERLOAD_PENALTY_MS = 60_000;
/** A `Retry-After` is honoured up to this long. */
export const RETRY_AFTER_CAP_MS = 36_000_000;

/** Seconds or an HTTP date, as `Retry-After` carries it; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * How long to wait before the next attempt after `attempts` attempts failed,
 * or null when the schedule is used up. `random` is in [0, 1).
 */
export function nextRetryDelayMs(
  attempts: number,
  { retryAfterMs = null, overloaded = false, random = Math.random() }: { retryAfterMs?: number | null; overloaded?: boolean; random?: number } = {},
): number | null {
  if (attempts < 1 || attempts >= MAX_ATTEMPTS) return null;
  let delay = RETRY_DELAYS_MS[attempts - 1] * (1 + (random * 2 - 1) * JITTER);
  if (overloaded) delay = Math.max(delay, OVERLOAD_PENALTY_MS);
  if (retryAfterMs !== null) delay = Math.max(delay, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS));
  return Math.round(delay);
}
