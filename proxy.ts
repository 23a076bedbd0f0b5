import { NextResponse, type NextRequest } from "next/server";
import { DEVICE_COOKIE, SESSION_COOKIE, SECURE_SESSION_COOKIE } from "@/lib/session-cookie";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { checkServerActionRequest } from "@/lib/server-action-request";

// Cheap things only: origin check, CSP nonce, security headers, a redirect
// when there is no session cookie at all, and refusing requests Next would turn
// into a 500 (an undecodable path, a malformed Server Action body). Access
// decisions happen in each page, action and route handler.

const PUBLIC_PATHS = ["/sign-in", "/setup", "/invite", "/api/auth", "/api/v1", "/api/health"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isPublic(pathname: string) {
  return PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** PUBLIC_URL's origin (the configured address), else this request's. */
function publicOrigin(request: NextRequest): string {
  try {
    return new URL(process.env.PUBLIC_URL ?? "").origin;
  } catch {
    return request.nextUrl.origin;
  }
}

/** Whether every percent-encoding in the path decodes (Next answers 500 for a dynamic segment that does not). */
function pathDecodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/** Origins allowed to post: this request's own host, and PUBLIC_URL when set. */
function allowedOrigins(request: NextRequest): Set<string> {
  const origins = new Set<string>([request.nextUrl.origin]);
  const host = request.headers.get("host");
  if (host) origins.add(`${request.nextUrl.protocol}//${host}`);
  const publicUrl = process.env.PUBLIC_URL;
  if (publicUrl) {
    try {
      origins.add(new URL(publicUrl).origin);
    } catch {
      // An invalid PUBLIC_URL is reported by the configuration check at startup.
    }
  }
  return origins;
}

function isForeignPost(request: NextRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  // The REST API authenticates with bearer keys, not cookies, so origin does not matter there.
  if (request.nextUrl.pathname.startsWith("/api/v1/")) return false;
  const origin = request.headers.get("origin");
  if (origin) return !allowedOrigins(request).has(origin);
  // No Origin: browsers still say where a request came from through Sec-Fetch-Site.
  const site = request.headers.get("sec-fetch-site");
  return site === "cross-site" || site === "same-site";
}

function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Give a browser its device token on its first visit (see DEVICE_COOKIE). */
function ensureDeviceCookie(request: NextRequest, response: NextResponse) {
  if (request.cookies.has(DEVICE_COOKIE)) return response;
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  const secure = request.nextUrl.protocol === "https:" || (process.env.PUBLIC_URL ?? "").startsWith("https://");
  response.cookies.set(DEVICE_COOKIE, token, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 400 * 24 * 3600 });
  return response;
}

function applySecurityHeaders(response: NextResponse, csp: string | null) {
  if (csp) response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  response.headers.set("Cross-Origin-Opener-Policy", "same-origin");
  if (process.env.APP_ENV === "production") {
    response.headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
  return response;
}

function refuse(status: number, code: string, message: string) {
  return applySecurityHeaders(NextResponse.json({ error: { code, message } }, { status }), "default-src 'none'; frame-ancestors 'none'");
}

export async function proxy(request: NextRequest) {
  if (isForeignPost(request)) return refuse(403, "forbidden_origin", "Cross-origin requests are not accepted.");

  const { pathname, search } = request.nextUrl;
  if (!pathDecodes(pathname)) return refuse(400, "bad_request", "The address is not valid.");
  if (!pathname.startsWith("/api/")) {
    const malformed = await checkServerActionRequest(request);
    if (malformed) return refuse(malformed.status, "invalid_action_request", malformed.reason);
  }

  const hasSession = request.cookies.has(SESSION_COOKIE) || request.cookies.has(SECURE_SESSION_COOKIE);
  if (!hasSession && !isPublic(pathname) && SAFE_METHODS.has(request.method) && !pathname.startsWith("/api/")) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    // The callback is our own request's path, but "//host" paths exist too: same rule as every redirect.
    const callbackUrl = safeRedirectPath(pathname + search, publicOrigin(request), "/");
    url.search = callbackUrl === "/" ? "" : `?callbackUrl=${encodeURIComponent(callbackUrl)}`;
    return ensureDeviceCookie(request, applySecurityHeaders(NextResponse.redirect(url), null));
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return ensureDeviceCookie(request, applySecurityHeaders(NextResponse.next({ request: { headers: requestHeaders } }), csp));
}

export const config = {
  matcher: [
    {
      source: "/((?!_next/static|_next/image|favicon.ico|icon.svg).*)",
    },
  ],
};
