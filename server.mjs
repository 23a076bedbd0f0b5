// The Gatehouse HTTP server: Next.js behind a thin Node server whose only job
// is to tell the app the socket's peer address in a way clients cannot forge.
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import next from "next";

const dev = process.argv.includes("--dev");
process.env.NODE_ENV ??= dev ? "development" : "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "0.0.0.0";
const publicUrl = (process.env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, "");
process.env.NEXTAUTH_URL ??= publicUrl;

// Every request is stamped `<token>:<peer>`; the token exists only in this
// process, so a client-sent header of the same name is overwritten or rejected.
const peerToken = randomBytes(24).toString("base64url");
process.env.GATEHOUSE_PEER_TOKEN = peerToken;

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();

try {
  await app.prepare();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const server = createServer((req, res) => {
  req.headers["x-gatehouse-peer"] = `${peerToken}:${req.socket.remoteAddress ?? ""}`;
  handle(req, res);
});

server.listen(port, hostname, () => {
  console.log(`Gatehouse is listening on ${publicUrl} (${dev ? "development" : "production"} server, port ${port})`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
