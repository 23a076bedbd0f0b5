/** Cookie names, shared by next-auth's configuration and proxy.ts's cheap presence check. */
export const SESSION_COOKIE = "gatehouse.session";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * A random per-browser token set by proxy.ts on the first visit. Once the
 * browser completes a sign-in, the (user, token) pair is a known device
 * (lib/server/rate-limit): its attempts count apart from an attacker's.
 */
export const DEVICE_COOKIE = "gatehouse.device";

/** The value of one cookie in a Cookie header, or null. */
export function cookieFromHeader(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
