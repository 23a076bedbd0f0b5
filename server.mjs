// The Gatehouse HTTP server: Next.js behind a thin Node server whose jobs are
// to tell the app the socket's peer address in a way clients cannot forge, and
// to answer a clear 503 while the database cannot be reached.
import { createServer } from "node:http";
import { randomBytes, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { OutageAwareResponse, outageAnswerer } from "./lib/server/db/outage-response.mjs";

const dev = process.argv.includes("--dev");
process.env.NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "0.0.0.0";
const publicUrl = (process.env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, "");
process.env.NEXTAUTH_URL ??= publicUrl;

// Every request is stamped `<token>:<peer>`; the token exists only in this
// process, so a client-sent header of the same name is overwritten.
// lib/server/request-context.ts reads the stamp with the same rule.
const PEER_HEADER = "x-gatehouse-peer";
const peerToken = randomBytes(24).toString("base64url");
process.env.GATEHOUSE_PEER_TOKEN = peerToken;
const stampPrefix = Buffer.from(`${peerToken}:`);

/** Does this header value start with `<our token>:`? (constant time in the token) */
function carriesOurToken(value) {
  if (typeof value !== "string") return false;
  const head = Buffer.from(value.slice(0, stampPrefix.length));
  return head.length === stampPrefix.length && timingSafeEqual(head, stampPrefix);
}

/**
 * Stamp the request with its socket peer. Next re-sends some requests to itself
 * over a new loopback connection with the original headers (a server action
 * posted to a page that does not bundle it, the page fetched after an action's
 * redirect): those already carry our stamp with the real client's peer, and
 * restamping them would turn every such client into this host's own address.
 * So a stamp with our token is kept; anything else a client sent is replaced.
 */
function stampPeer(req) {
  if (carriesOurToken(req.headers[PEER_HEADER])) return;
  req.headers[PEER_HEADER] = `${peerToken}:${req.socket.remoteAddress ?? ""}`;
}

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();

try {
  await app.prepare();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// The app marks the database unreachable when a query cannot reach it
// (lib/server/db/availability.ts, same process) and clears the mark when its
// probe gets an answer. Meanwhile requests are answered here without Next, and
// a 500 that Next was already writing goes out as a 503 (OutageAwareResponse).
const answerDuringOutage = outageAnswerer(path.join(path.dirname(fileURLToPath(import.meta.url)), "public"));

const server = createServer({ ServerResponse: OutageAwareResponse }, (req, res) => {
  stampPeer(req);
  if (answerDuringOutage(req, res)) return;
  handle(req, res);
});

// Keep idle client connections longer than a load balancer keeps its upstream ones (60 s
// for nginx's `keepalive_timeout` and AWS ALB): with Node's default of 5 s, a proxy reusing
// a connection the server has just closed answers that request with a 502.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(port, hostname, () => {
  console.log(`Gatehouse is listening on ${publicUrl} (${dev ? "development" : "production"} server, port ${port})`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
