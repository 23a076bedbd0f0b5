// How server.mjs answers while the database is unreachable. Plain JavaScript
// because server.mjs runs outside Next's bundle, in the same process as the app:
// lib/server/db/availability.ts sets the flag read here, and the values below
// repeat lib/database-outage.ts (digest aside, which only the browser needs).
//
// Two jobs:
// - OutageAwareResponse: a 500 written while the flag is set goes out as a 503
//   with Retry-After; for /api/* its body becomes our JSON error (a page keeps
//   Next's body, whose error boundary shows the outage message and recovers).
// - answerDuringOutage: while the flag is set, answer without touching Next:
//   JSON for /api/*, the outage page for everything else. Static assets,
//   /api/health/live and server actions (whose wrapper answers at once with a
//   message the form shows) still go to Next.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { ServerResponse } from "node:http";

const STATE_KEY = Symbol.for("gatehouse.databaseAvailability");
const RETRY_AFTER_SECONDS = 5;
const RECHECK_MS = 3000;
const TITLE = "Gatehouse cannot reach its database right now";
const API_MESSAGE = "Gatehouse cannot reach its database right now. Retry after the number of seconds in Retry-After.";

/** Is the database marked unreachable? (The flag lives on globalThis; absent means up.) */
export function isDatabaseDown() {
  return globalThis[STATE_KEY]?.down === true;
}

function pathnameOf(req) {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return "/";
  }
}

const isApiPath = (path) => path === "/api" || path.startsWith("/api/");

/** Headers every direct answer carries, as proxy.ts sets them for Next's answers. */
function baseHeaders(contentType, csp) {
  const headers = {
    "Content-Type": contentType,
    "Retry-After": String(RETRY_AFTER_SECONDS),
    "Cache-Control": "no-store",
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (process.env.APP_ENV === "production") headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

function jsonAnswer(path) {
  const body =
    path === "/api/health"
      ? { status: "unavailable", checks: { database: "unreachable" } }
      : { error: { code: "database_unavailable", message: API_MESSAGE } };
  return { headers: baseHeaders("application/json; charset=utf-8", "default-src 'none'; frame-ancestors 'none'"), body: JSON.stringify(body) };
}

// The look of app/not-found.tsx and components/ui (Tailwind's zinc scale and
// the brand colour of app/globals.css), light and dark (the theme cookie).
const STYLE = `*,*::before,*::after{box-sizing:border-box}
html{color-scheme:light;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;-webkit-font-smoothing:antialiased}
html.dark{color-scheme:dark}
body{margin:0;background:#fafafa;color:#18181b}
.dark body{background:#09090b;color:#f4f4f5}
main{display:flex;min-height:100vh;flex-direction:column;align-items:center;justify-content:center;padding:3rem 1rem;text-align:center}
.logo{display:inline-flex;align-items:center;gap:.5rem;font-size:1rem;font-weight:600;letter-spacing:-.025em}
.logo svg{width:1.75rem;height:1.75rem}
.logo rect{fill:oklch(.51 .2 265)}
.label{margin:2.5rem 0 0;font-size:.875rem;font-weight:600;color:oklch(.51 .2 265)}
.dark .label{color:oklch(.93 .04 265)}
h1{margin:.5rem 0 0;font-size:1.5rem;line-height:2rem;font-weight:600;letter-spacing:-.025em}
p{margin:.5rem auto 0;max-width:32rem;font-size:.875rem;line-height:1.25rem;color:#52525b}
.dark p{color:#a1a1aa}
p.status{margin-top:1rem;color:#71717a}
.dark p.status{color:#a1a1aa}
.button{display:inline-flex;align-items:center;justify-content:center;height:2.5rem;margin-top:1.5rem;padding:0 1rem;border-radius:.375rem;background:#fff;color:#27272a;box-shadow:inset 0 0 0 1px #d4d4d8,0 1px 2px rgb(0 0 0/.05);font-size:.875rem;font-weight:500;text-decoration:none}
.button:hover{background:#fafafa}
.dark .button{background:#18181b;color:#f4f4f5;box-shadow:inset 0 0 0 1px #3f3f46}
.dark .button:hover{background:#27272a}
:focus-visible{outline:2px solid oklch(.58 .19 265);outline-offset:2px}`;

// Ask /api/health every few seconds; reload once it answers 200 (the server's probe cleared the flag).
const SCRIPT = `(()=>{const s=document.getElementById("status");const check=async()=>{try{const r=await fetch("/api/health",{cache:"no-store"});if(r.ok){s.textContent="The database answers again. Reloading…";location.reload();return}}catch{}setTimeout(check,${RECHECK_MS})};setTimeout(check,${RECHECK_MS})})();`;

function pageAnswer(req) {
  const nonce = randomBytes(16).toString("base64");
  const dark = /(?:^|;\s*)theme=dark(?:;|$)/.test(req.headers.cookie ?? "");
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
  const body = `<!doctype html>
<html lang="en"${dark ? ' class="dark"' : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Database unavailable · Gatehouse</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<span class="logo"><svg viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="7"/><path d="M9 25V13l7-5 7 5v12h-5v-6h-4v6z" fill="#fff"/></svg>Gatehouse</span>
<p class="label">Database unavailable</p>
<h1>${TITLE}</h1>
<p>This is usually brief, for example while the database server restarts. Gatehouse keeps retrying on its own, and this page loads again by itself as soon as the database answers.</p>
<p>If it lasts more than a few minutes, tell whoever runs Gatehouse for your organization.</p>
<p class="status" id="status" role="status">Checking again every few seconds.</p>
<a class="button" href="">Try again now</a>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
  return { headers: baseHeaders("text/html; charset=utf-8", csp), body };
}

/** Start the answer to `req` on `res`'s underlying writeHead/end (bypassing any override). */
function send(req, res, { headers, body }, writeHead, end) {
  for (const name of res.getHeaderNames()) {
    // Keep cookies Next already set (a refreshed session); drop what described Next's body.
    if (name !== "set-cookie") res.removeHeader(name);
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Content-Length", Buffer.byteLength(body));
  writeHead.call(res, 503);
  end.call(res, req.method === "HEAD" ? undefined : body);
}

/** Call the last argument when it is a callback (what write/end would have done). */
function settle(args) {
  const callback = args.at(-1);
  if (typeof callback === "function") process.nextTick(callback);
}

/**
 * The server's response class: a 500 becomes a 503 with Retry-After while the
 * database is marked down. Node routes implicit headers (the first write or
 * end) through writeHead, and so does Next's compression, so the status is
 * decided in one place; write and end check first so that Node never writes
 * a body after our own answer ended the response.
 */
export class OutageAwareResponse extends ServerResponse {
  #answered = false;

  /**
   * The status to send instead of `statusCode`, or null when the response was
   * answered here (an API route's 500: our JSON replaces Next's body). A page's
   * 500 becomes a 503 and keeps its body: the error boundary in it shows the
   * outage message and recovers by itself.
   */
  #decide(statusCode) {
    if (statusCode !== 500 || this.headersSent || !isDatabaseDown()) return statusCode;
    const path = pathnameOf(this.req);
    if (isApiPath(path)) {
      this.#answered = true;
      send(this.req, this, jsonAnswer(path), super.writeHead, super.end);
      return null;
    }
    this.statusCode = 503;
    this.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
    return 503;
  }

  writeHead(statusCode, ...rest) {
    if (this.#answered) return this;
    const status = this.#decide(statusCode);
    if (status === null) return this;
    // A reason phrase given for the 500 would no longer fit.
    if (status !== statusCode && typeof rest[0] === "string") rest.shift();
    return super.writeHead(status, ...rest);
  }

  write(...args) {
    if (this.#answered || (!this.headersSent && this.#decide(this.statusCode) === null)) {
      settle(args);
      return true;
    }
    return super.write(...args);
  }

  end(...args) {
    if (this.#answered || (!this.headersSent && this.#decide(this.statusCode) === null)) {
      settle(args);
      return this;
    }
    return super.end(...args);
  }
}

/**
 * While the database is marked down, answer `req` directly (true) or leave it
 * to Next (false). `publicDir` holds the static files that still pass.
 */
export function outageAnswerer(publicDir) {
  let publicFiles = new Set();
  try {
    publicFiles = new Set(readdirSync(publicDir).map((name) => `/${name}`));
  } catch {
    // No public directory: nothing to let through.
  }
  return function answerDuringOutage(req, res) {
    if (!isDatabaseDown()) return false;
    const path = pathnameOf(req);
    if (path.startsWith("/_next/") || publicFiles.has(path) || path === "/api/health/live") return false;
    if (req.method === "POST" && req.headers["next-action"]) return false;
    send(req, res, isApiPath(path) ? jsonAnswer(path) : pageAnswer(req), ServerResponse.prototype.writeHead, ServerResponse.prototype.end);
    return true;
  };
}
