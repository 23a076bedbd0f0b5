// A round-robin HTTP load balancer for tests: each request goes to the next
// backend in turn, as a load balancer in front of several Gatehouse instances
// would send consecutive requests of one browser to different instances. It
// appends the client's address to X-Forwarded-For like a real proxy, so the
// instances (which trust 127.0.0.1) still see each client's own address.
import http from "node:http";

/**
 * @param {{ port: number, host?: string, backends: number[] }} options
 * @returns {Promise<http.Server>}
 */
export function startBalancer({ port, host = "127.0.0.1", backends }) {
  let next = 0;
  // A new upstream connection per request: reusing kept-alive sockets races with the server
  // closing idle ones (ECONNRESET on reuse), which answered a JS chunk with a 502 and broke a page.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const backend = backends[next++ % backends.length];
    const peer = req.socket.remoteAddress ?? "";
    const headers = { ...req.headers };
    const prior = headers["x-forwarded-for"];
    headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
    const upstream = http.request(
      { host: "127.0.0.1", port: backend, method: req.method, path: req.url, headers, agent },
      (answer) => {
        // rawHeaders keeps repeated headers (several Set-Cookie) exactly as sent.
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`balancer: backend ${backend} failed: ${error.message}`);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}
