/** Cookie names, shared by next-auth's configuration and proxy.ts's cheap presence check. */
export const SESSION_COOKIE = "gatehouse.session";
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}
