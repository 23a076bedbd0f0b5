import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createRequire } from "node:module";
import { markDatabaseDown, markDatabaseUp } from "./availability";
import { OutageAwareResponse, outageAnswerer } from "./outage-response.mjs";

// server.mjs's side of an outage, on a real HTTP server: the same response
// class and answerer, with a handler standing in for Next (which answers 500
// when a page or route throws), and the flag set through availability.ts.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
// The compression middleware Next puts in front of its responses (untyped, compiled into Next).
const compression = createRequire(__filename)("next/dist/compiled/compression") as (options: { threshold: number }) => (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let base = "";
const answerDuringOutage = outageAnswerer(path.resolve(__dirname, "..", "..", "..", "public"));

beforeAll(async () => {
  server = createServer({ ServerResponse: OutageAwareResponse }, (req, res) => {
    if (answerDuringOutage(req, res)) return;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => markDatabaseUp());

const goDown = () => markDatabaseDown(() => Promise.reject(new Error("still unreachable")));

/** Next's way of failing: status 500, a body, sometimes several chunks, sometimes through its compression. */
const failing: Record<string, Handler> = {
  "end with a body": (_req, res) => {
    res.statusCode = 500;
    res.setHeader("Content-Type", "text/plain");
    res.end("Internal Server Error: PrismaClientKnownRequestError at 127.0.0.1:5432");
  },
  "explicit writeHead, then chunks": (_req, res) => {
    res.writeHead(500, "Internal Server Error", { "Content-Type": "text/html; charset=utf-8" });
    res.write("<!DOCTYPE html><html id=\"__next_error__\">");
    res.end("</html>");
  },
  "compressed stream": (req, res) => {
    compression({ threshold: 0 })(req, res, () => {
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.write("<!DOCTYPE html><html id=\"__next_error__\">" + "x".repeat(4096));
      res.end("</html>");
    });
  },
};

describe("a 500 written while the database is marked down", () => {
  for (const [how, fail] of Object.entries(failing)) {
    it(`becomes a 503 JSON error on an API route (${how})`, async () => {
      handler = (req, res) => {
        goDown(); // the route's query just failed
        fail(req, res);
      };
      const response = await fetch(`${base}/api/session`, { headers: { "Accept-Encoding": "gzip" } });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await response.json()).toEqual({ error: { code: "database_unavailable", message: expect.stringContaining("cannot reach its database") } });
    });

    it(`becomes a 503 that keeps its body on a page (${how})`, async () => {
      handler = (req, res) => {
        goDown();
        fail(req, res);
      };
      const response = await fetch(`${base}/overview`, { headers: { "Accept-Encoding": "gzip" } });
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.text()).toMatch(/__next_error__|Internal Server Error/);
    });
  }

  it("stays a 500 while the database is up, and other statuses are untouched while it is down", async () => {
    handler = failing["end with a body"];
    expect((await fetch(`${base}/api/session`)).status).toBe(500);
    handler = (_req, res) => {
      goDown();
      res.statusCode = 401;
      res.end('{"error":{"code":"unauthenticated"}}');
    };
    const response = await fetch(`${base}/api/session`);
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"error":{"code":"unauthenticated"}}');
  });
});

describe("requests while the database is marked down", () => {
  beforeAll(() => {
    handler = (_req, res) => res.end("from Next");
  });

  it("API routes get JSON, the health check its own document, pages the outage page, all 503 with Retry-After", async () => {
    goDown();
    const api = await fetch(`${base}/api/v1/anything`);
    expect([api.status, api.headers.get("retry-after")]).toEqual([503, "5"]);
    expect(await api.json()).toMatchObject({ error: { code: "database_unavailable" } });
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "unavailable", checks: { database: "unreachable" } });

    const page = await fetch(`${base}/members`, { headers: { Cookie: "theme=dark" } });
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBe("5");
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await page.text();
    expect(html).toContain('<html lang="en" class="dark">');
    expect(html).toContain("<h1>Gatehouse cannot reach its database right now</h1>");
    expect(html).toContain('role="status"');
    // The inline style and script carry this response's nonce, and only they do.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html.match(/nonce="([^"]+)"/g)).toEqual([`nonce="${nonce}"`, `nonce="${nonce}"`]);

    const head = await fetch(`${base}/members`, { method: "HEAD" });
    expect(head.status).toBe(503);
    expect(await head.text()).toBe("");
  });

  it("static assets, the liveness check and server actions still reach Next", async () => {
    goDown();
    for (const request of [
      fetch(`${base}/_next/static/chunks/app.js`),
      fetch(`${base}/icon.svg`),
      fetch(`${base}/api/health/live`),
      fetch(`${base}/members`, { method: "POST", headers: { "Next-Action": "abc123" }, body: "[]" }),
    ]) {
      const response = await request;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("from Next");
    }
  });

  it("nothing is answered here once the database is up again", async () => {
    goDown();
    markDatabaseUp();
    const response = await fetch(`${base}/members`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("from Next");
  });
});
