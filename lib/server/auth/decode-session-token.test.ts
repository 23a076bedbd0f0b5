import { describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { decodeSessionToken, sessionTokenMaxAgeSeconds } from "./decode-session-token";

const SECRET = "vitest-session-secret-that-is-long-enough-123456";
const HOUR = 3600;
const WEEK = 168 * HOUR;
const DAY_MS = 24 * HOUR * 1000;

describe("decodeSessionToken", () => {
  it("derives the lifetime from SESSION_MAX_AGE_HOURS", () => {
    expect(sessionTokenMaxAgeSeconds({ sessionMaxAgeMs: 168 * HOUR * 1000 })).toBe(WEEK);
  });

  it("returns the session id of a fresh token", async () => {
    const token = await encode({ token: { sid: "s1" }, secret: SECRET, maxAge: WEEK });
    expect(await decodeSessionToken(token, SECRET, WEEK)).toBe("s1");
  });

  it("refuses a token older than the session maximum even when its exp lies further ahead", async () => {
    // next-auth's default lifetime: 30 days, the bug of issue #6 item 14.
    const token = await encode({ token: { sid: "s1" }, secret: SECRET });
    expect(await decodeSessionToken(token, SECRET, WEEK, Date.now() + 6 * DAY_MS)).toBe("s1");
    expect(await decodeSessionToken(token, SECRET, WEEK, Date.now() + 8 * DAY_MS)).toBeNull();
  });

  it("refuses a token issued in the future, another secret's token, garbage and a token without sid", async () => {
    const token = await encode({ token: { sid: "s1" }, secret: SECRET, maxAge: WEEK });
    expect(await decodeSessionToken(token, SECRET, WEEK, Date.now() - HOUR * 1000)).toBeNull();
    expect(await decodeSessionToken(token, `${SECRET}-other`, WEEK)).toBeNull();
    expect(await decodeSessionToken("not.a.jwt", SECRET, WEEK)).toBeNull();
    const noSid = await encode({ token: { sub: "u1" }, secret: SECRET, maxAge: WEEK });
    expect(await decodeSessionToken(noSid, SECRET, WEEK)).toBeNull();
  });
});
