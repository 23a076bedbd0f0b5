import "server-only";
import { AppError } from "@/lib/server/errors";

/** An override may raise a key's limit at most this many times over the default. */
export const MAX_OVERRIDE_FACTOR = 100;

/**
 * The seed's rule for a per-key rate-limit override, in requests a minute: a
 * negative, zero or non-numeric value is discarded (the configured default
 * applies: null), one above 100× the default is refused with a clear error,
 * anything else is kept (rounded down to a whole number).
 */
export function normalizeRateLimitOverride(value: unknown, defaultPerMinute: number): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) return null;
  const max = defaultPerMinute * MAX_OVERRIDE_FACTOR;
  if (n > max) {
    throw new AppError("validation_failed", `A rate-limit override can be at most ${max} requests a minute (100× the default of ${defaultPerMinute}).`, {
      fieldErrors: { rateLimitPerMinute: [`At most ${max} requests a minute (100× the default).`] },
    });
  }
  return Math.max(1, Math.floor(n));
}
