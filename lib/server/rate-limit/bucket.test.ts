import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emptyBucket, fail, reserve, succeed, type BucketState } from "./bucket";
import type { BucketRule } from "./policies";

const MINUTE = 60_000;
const rule: BucketRule = { limit: 5, windowMs: 15 * MINUTE, lockoutMs: MINUTE, maxLockoutMs: 60 * MINUTE, decayMs: 24 * 60 * MINUTE, maxConsecutive: 100 };
const at = (ms: number) => new Date(Date.UTC(2026, 10, 27) + ms);

/** Reserve then fail, as one failed attempt does; returns the state (unchanged when refused). */
function failOnce(state: BucketState, r: BucketRule, now: Date): { state: BucketState; refused: boolean } {
  const v = reserve(state, r, now);
  if (!v.allowed) return { state, refused: true };
  return { state: fail(v.state, r, now), refused: false };
}

describe("bucket arithmetic", () => {
  it("checks at most `limit` attempts of a burst in flight at once", () => {
    let s = emptyBucket(at(0));
    let allowed = 0;
    for (let i = 0; i < 70; i++) {
      const v = reserve(s, rule, at(0));
      if (v.allowed) {
        allowed += 1;
        s = v.state;
      }
    }
    expect(allowed).toBe(rule.limit);
  });

  it("locks for growing delays, allows one attempt after each lockout, and caps the delay", () => {
    let s = emptyBucket(at(0));
    for (let i = 0; i < 5; i++) s = failOnce(s, rule, at(0)).state;
    expect(s.lockedUntil).toEqual(at(MINUTE));
    expect(reserve(s, rule, at(MINUTE - 1)).allowed).toBe(false);
    // One attempt after the lockout; its failure locks twice as long.
    s = failOnce(s, rule, at(MINUTE)).state;
    expect(s.lockedUntil).toEqual(at(3 * MINUTE));
    s = failOnce(s, rule, at(3 * MINUTE)).state;
    expect(s.lockedUntil).toEqual(at(3 * MINUTE + 4 * MINUTE));
    // Keep failing once after each lockout: the delay doubles up to the cap and stays there.
    let t = 7 * MINUTE;
    let longest = 0;
    for (let i = 0; i < 20; i++) {
      s = failOnce(s, rule, at(t)).state;
      const delay = s.lockedUntil!.getTime() - at(t).getTime();
      longest = Math.max(longest, delay);
      t += delay;
    }
    expect(longest).toBe(rule.maxLockoutMs);
  });

  it("forgets failures after a quiet window and strikes after the decay period", () => {
    let s = emptyBucket(at(0));
    for (let i = 0; i < 4; i++) s = failOnce(s, rule, at(0)).state;
    const later = reserve(s, rule, at(rule.windowMs));
    expect(later.allowed && later.state.count).toBe(1);
    for (let i = 0; i < 5; i++) s = failOnce(s, rule, at(0)).state;
    expect(s.strikes).toBe(1);
    const next = reserve(s, rule, at(rule.decayMs + 1));
    expect(next.allowed && next.state.strikes).toBe(0);
  });

  it("caps consecutive failures at 100 (NIST 800-63B) until a success", () => {
    const loose: BucketRule = { ...rule, limit: 1000, windowMs: 1000, maxConsecutive: 100 };
    let s = emptyBucket(at(0));
    let t = 0;
    for (let i = 0; i < 100; i++) {
      t += 2000;
      s = failOnce(s, loose, at(t)).state;
    }
    expect(s.consecutive).toBe(100);
    expect(reserve(s, loose, at(t + 2000)).allowed).toBe(false);
    expect(reserve(succeed(s, false), loose, at(t + 2000)).allowed).toBe(true);
  });

  it("hands a successful attempt back and forgives the subject's own bucket", () => {
    const v = reserve(emptyBucket(at(0)), rule, at(0));
    if (!v.allowed) throw new Error("unreachable");
    expect(succeed(v.state, false).count).toBe(0);
    let s = emptyBucket(at(0));
    for (let i = 0; i < 5; i++) s = failOnce(s, rule, at(0)).state;
    expect(succeed(s, true)).toMatchObject({ count: 0, strikes: 0, lockedUntil: null, consecutive: 0 });
  });

  it("never checks more than `limit` attempts within one window between lockouts, whatever the timing (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 * MINUTE }), { minLength: 1, maxLength: 80 }), (gaps) => {
        let s = emptyBucket(at(0));
        let t = 0;
        let checked = 0;
        for (const gap of gaps) {
          t += gap;
          const r = failOnce(s, rule, at(t));
          if (r.refused) continue;
          // A new window or the end of a lockout starts a new allowance.
          if (r.state.windowStart.getTime() !== s.windowStart.getTime()) checked = 0;
          checked += 1;
          expect(checked).toBeLessThanOrEqual(rule.limit);
          if (r.state.strikes > s.strikes) checked = rule.limit; // locked: nothing more until it ends
          s = r.state;
          expect(s.count).toBeGreaterThanOrEqual(0);
          expect(s.count).toBeLessThanOrEqual(rule.limit);
        }
      }),
      { numRuns: 300 },
    );
  });
});
