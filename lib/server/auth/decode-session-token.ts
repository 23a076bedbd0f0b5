import "server-only";
import { decode } from "next-auth/jwt";

/** The lifetime of a session cookie and of the JWT inside it, in seconds: SESSION_MAX_AGE_HOURS. */
export function sessionTokenMaxAgeSeconds(config: { sessionMaxAgeMs: number }): number {
  return Math.floor(config.sessionMaxAgeMs / 1000);
}

// The same allowance next-auth's decode gives `exp`, for clocks a little apart.
const CLOCK_TOLERANCE_SECONDS = 15;

/**
 * The session id (`sid`) inside a next-auth JWT, or null. Besides next-auth's own
 * checks (our secret, not expired), the token must say when it was issued, and
 * be no older than `maxAgeSeconds`, whatever its `exp` claims: a token minted
 * with a longer lifetime (next-auth's 30-day default) is refused once the session
 * maximum has passed.
 */
export async function decodeSessionToken(token: string, secret: string, maxAgeSeconds: number, nowMs = Date.now()): Promise<string | null> {
  const jwt = await decode({ token, secret }).catch(() => null);
  if (!jwt || typeof jwt.sid !== "string" || typeof jwt.iat !== "number") return null;
  const now = Math.floor(nowMs / 1000);
  if (jwt.iat > now + CLOCK_TOLERANCE_SECONDS) return null;
  if (now - jwt.iat > maxAgeSeconds + CLOCK_TOLERANCE_SECONDS) return null;
  return jwt.sid;
}
