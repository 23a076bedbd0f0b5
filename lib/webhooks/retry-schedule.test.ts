import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAX_ATTEMPTS, nextRetryDelayMs, parseRetryAfter, RETRY_DELAYS_MS } from "./retry-schedule";

describe("retry schedule", () => {
  it("follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after 8 attempts", () => {
    expect(RETRY_DELAYS_MS.map((d) => d / 1000)).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(MAX_ATTEMPTS).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => nextRetryDelayMs(n, { random: 0.5 }))).toEqual([...RETRY_DELAYS_MS]);
    expect(nextRetryDelayMs(8, { random: 0.5 })).toBeNull();
    expect(nextRetryDelayMs(0, { random: 0.5 })).toBeNull();
  });

  it("stays within ±20 % of the schedule for any random draw, and uses the whole band", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
        const d = nextRetryDelayMs(n, { random: r })!;
        const base = RETRY_DELAYS_MS[n - 1];
        expect(d).toBeGreaterThanOrEqual(Math.round(base * 0.8));
        expect(d).toBeLessThanOrEqual(Math.round(base * 1.2));
      }),
    );
    expect(nextRetryDelayMs(1, { random: 0 })).toBe(4000);
    expect(nextRetryDelayMs(1, { random: 0.999999 })).toBe(6000);
  });

  it("honours Retry-After (capped at 10 h) and waits at least a minute after a timeout or 429", () => {
    expect(nextRetryDelayMs(1, { random: 0.5, retryAfterMs: 120_000 })).toBe(120_000);
    expect(nextRetryDelayMs(3, { random: 0.5, retryAfterMs: 1_000 })).toBe(1_800_000);
    expect(nextRetryDelayMs(1, { random: 0.5, retryAfterMs: 10 * 86_400_000 })).toBe(36_000_000);
    expect(nextRetryDelayMs(1, { random: 0.5, overloaded: true })).toBe(60_000);
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter(new Date(90_000).toUTCString(), 0)).toBe(90_000);
    expect(parseRetryAfter("soon", 0)).toBeNull();
    expect(parseRetryAfter(undefined, 0)).toBeNull();
  });
});
