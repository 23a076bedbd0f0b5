/**
 * The one rule for following a user-supplied redirect target (a `callbackUrl`),
 * shared by the server (pages, proxy.ts, next-auth) and the browser. Pure: it
 * imports nothing, so client components can use it; the caller passes the base
 * origin (the server its configured PUBLIC_URL, the browser window.location.origin).
 */

export const DEFAULT_REDIRECT = "/overview";

/** Longer targets are not followed: no page of ours needs one, and it would only bloat a Location header. */
export const MAX_REDIRECT_LENGTH = 2048;

// Only ever checked on the serialized URL, which percent-encodes these; kept as a last line of defence.
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;

/**
 * Resolve `value` the way a browser would (`new URL(value, base)`: tab, CR and LF
 * removed, backslashes read as slashes, `//host` and absolute URLs honoured) and
 * return it as a same-origin path (pathname + search + hash), or `fallback`.
 *
 * Invariants of a returned value other than `fallback`: it starts with exactly
 * one "/" (never "//" or "/\"), contains no control characters, is at most
 * MAX_REDIRECT_LENGTH characters long, its pathname's percent-encoding decodes,
 * and `new URL(result, base).origin` equals the base's origin. Anything else (another host, another scheme such as
 * `javascript:` or `data:`, userinfo tricks, malformed input) yields `fallback`.
 */
export function safeRedirectPath(value: unknown, base: string | URL, fallback: string = DEFAULT_REDIRECT): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_REDIRECT_LENGTH) return fallback;
  let origin: URL;
  let target: URL;
  try {
    origin = new URL(new URL(base).origin);
    target = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (origin.origin === "null" || target.origin !== origin.origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // A pathname such as "//evil.example" (from "/.//evil.example") is same-origin here but
  // would be read as a host once it is sent on its own, e.g. in a Location header.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  if (CONTROL_CHARACTER.test(path) || path.length > MAX_REDIRECT_LENGTH) return fallback;
  // A path whose percent-encoding does not decode is refused by proxy.ts (400): not worth a detour.
  try {
    decodeURIComponent(target.pathname);
  } catch {
    return fallback;
  }
  return path;
}
