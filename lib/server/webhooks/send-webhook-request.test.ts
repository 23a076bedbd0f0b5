import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import fc from "fast-check";
import { parseIpRange, type IpRange } from "@/lib/net/client-ip";
import { sendWebhookRequest, type OutboundPolicy, type Resolver } from "./send-webhook-request";

const range = (text: string): IpRange => {
  const r = parseIpRange(text);
  if (!r.ok) throw new Error(r.reason);
  return r.range;
};

/** Agents that count the connections they open: the property asserts this stays 0. */
class CountingHttpAgent extends http.Agent {
  connections = 0;
  override createConnection(...args: Parameters<http.Agent["createConnection"]>): ReturnType<http.Agent["createConnection"]> {
    this.connections++;
    return super.createConnection(...args);
  }
}
class CountingHttpsAgent extends https.Agent {
  connections = 0;
  override createConnection(...args: Parameters<https.Agent["createConnection"]>): ReturnType<https.Agent["createConnection"]> {
    this.connections++;
    return super.createConnection(...args);
  }
}
const agents = { http: new CountingHttpAgent({ keepAlive: true }), https: new CountingHttpsAgent({ keepAlive: true }) };
const connections = () => agents.http.connections + agents.https.connections;

let server: http.Server;
let port: number;
const seen: { host?: string; body: string; path?: string }[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ host: req.headers.host, body, path: req.url });
      if (req.url === "/slow") return void setTimeout(() => res.end("late"), 2_000);
      if (req.url === "/redirect") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      if (req.url === "/big") return void res.end("x".repeat(100_000));
      res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${body.length}`);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  agents.http.destroy();
  agents.https.destroy();
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const strict: OutboundPolicy = { allowHttp: true, allowedPrivate: [] };
const loopbackAllowed: OutboundPolicy = { allowHttp: true, allowedPrivate: [range("127.0.0.1/32")] };

// Refused ranges with a host inside each: [first address as a 32-bit number, size].
const REFUSED_V4: [number, number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16], ["100.64.0.0", 10],
  ["224.0.0.0", 4], ["240.0.0.0", 4], ["192.0.2.0", 24], ["198.51.100.0", 24], ["203.0.113.0", 24], ["198.18.0.0", 15], ["192.0.0.0", 24],
].map(([a, p]) => [(a as string).split(".").reduce((n, o) => n * 256 + Number(o), 0), 2 ** (32 - (p as number))]);

const refusedV4 = fc.constantFrom(...REFUSED_V4).chain(([base, size]) => fc.integer({ min: 0, max: size - 1 }).map((o) => base + o));
const octets = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const hex16 = (n: number) => [(n >>> 16).toString(16), (n & 0xffff).toString(16)].join(":");

/** Every way to write a refused IPv4 address as a URL host. */
const v4Host = refusedV4.chain((n) =>
  fc.constantFrom(
    octets(n).join("."),
    String(n),
    `0x${n.toString(16)}`,
    octets(n).map((o) => `0${o.toString(8)}`).join("."),
    octets(n).map((o) => `0x${o.toString(16)}`).join("."),
    `${octets(n)[0]}.${n & 0xffffff}`,
    `[::ffff:${octets(n).join(".")}]`,
    `[::ffff:${hex16(n)}]`,
    `[::${hex16(n)}]`,
    `[64:ff9b::${octets(n).join(".")}]`,
    `[64:ff9b:1::${hex16(n)}]`,
    `[2002:${hex16(n)}::1]`,
  ),
);
const refusedV6 = fc.oneof(
  fc.constant("::1"),
  fc.constant("::"),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `fe80::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `fd${(x & 0xff).toString(16).padStart(2, "0")}::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `fc00::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `fec0::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `ff02::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `2001:db8::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `100::${x.toString(16)}`),
  fc.integer({ min: 0, max: 0xffff }).map((x) => `2001:0:${x.toString(16)}::1`),
);
const v6Host = fc.oneof(
  refusedV6.map((a) => `[${a}]`),
  refusedV6.map((a) => `[${a}%25eth0]`),
);
const publicV4 = fc.constantFrom("93.184.216.34", "8.8.8.8", "1.1.1.1", "151.101.1.69");
const dnsName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).map((l) => `${l}.hooks.example`);
/** A name that resolves to refused addresses, possibly hidden among public ones, in any order. */
const hostileName = fc.tuple(dnsName, fc.array(publicV4, { maxLength: 3 }), fc.array(fc.oneof(refusedV4.map((n) => octets(n).join(".")), refusedV6), { minLength: 1, maxLength: 3 })).chain(([name, pub, bad]) =>
  fc.shuffledSubarray([...pub, ...bad], { minLength: pub.length + bad.length }).map((addresses) => ({ name, addresses })),
);

describe("sendWebhookRequest: SSRF", () => {
  it("never opens a connection to a refused range, however the address is written or resolved", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          v4Host.map((host) => ({ host, addresses: [] as string[] })),
          v6Host.map((host) => ({ host, addresses: [] as string[] })),
          hostileName.map(({ name, addresses }) => ({ host: name, addresses })),
        ),
        fc.constantFrom("https", "http"),
        fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
        async ({ host, addresses }, scheme, p) => {
          const before = connections();
          const resolver: Resolver = async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
          const result = await sendWebhookRequest({ url: `${scheme}://${host}${p ? `:${p}` : ""}/hook`, headers: {}, body: "{}", policy: strict, resolver, agents, timeoutMs: 1000 });
          expect(result.kind).toBe("refused");
          expect(connections()).toBe(before);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("refuses http unless allowed, and a loopback receiver unless the allowlist covers it", async () => {
    const url = `http://127.0.0.1:${port}/hook`;
    expect(await sendWebhookRequest({ url, headers: {}, body: "{}", policy: { allowHttp: false, allowedPrivate: [range("127.0.0.1/32")] }, agents })).toMatchObject({
      kind: "refused",
      reason: "Use an https:// URL.",
    });
    expect(await sendWebhookRequest({ url, headers: {}, body: "{}", policy: strict, agents })).toMatchObject({ kind: "refused", reason: expect.stringContaining("loopback") });
    const before = connections();
    expect(await sendWebhookRequest({ url, headers: {}, body: "{}", policy: loopbackAllowed, agents })).toMatchObject({ kind: "response", status: 200, body: "ok 2" });
    // The counter does see real connections (so the property above can fail).
    expect(connections()).toBeGreaterThanOrEqual(before);
    expect(agents.http.connections).toBeGreaterThan(0);
  });

  it("connects to the address it checked, with the name as Host, and keeps the connection alive", async () => {
    let lookups = 0;
    const resolver: Resolver = async () => {
      lookups++;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const url = `http://receiver.hooks.test:${port}/named`;
    const first = await sendWebhookRequest({ url, headers: { "x-a": "1" }, body: "hello", policy: loopbackAllowed, resolver, agents });
    const opened = agents.http.connections;
    const second = await sendWebhookRequest({ url, headers: {}, body: "hello", policy: loopbackAllowed, resolver, agents });
    expect(first).toMatchObject({ kind: "response", status: 200, address: "127.0.0.1" });
    expect(second).toMatchObject({ kind: "response", status: 200 });
    expect(seen.at(-1)).toMatchObject({ host: `receiver.hooks.test:${port}`, body: "hello", path: "/named" });
    expect(agents.http.connections).toBe(opened);
    expect(lookups).toBe(2);
  });

  it("refuses a name when any one of its addresses is refused (rebinding to a second record)", async () => {
    const resolver: Resolver = async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "10.0.0.1", family: 4 },
    ];
    expect(await sendWebhookRequest({ url: `http://mixed.hooks.test:${port}/`, headers: {}, body: "", policy: loopbackAllowed, resolver, agents })).toMatchObject({
      kind: "refused",
      reason: expect.stringContaining("10.0.0.1"),
    });
  });

  it("does not follow redirects, stops at the timeout and keeps only the first 4 KB of the answer", async () => {
    const base = `http://127.0.0.1:${port}`;
    const count = seen.length;
    const redirect = await sendWebhookRequest({ url: `${base}/redirect`, headers: {}, body: "", policy: loopbackAllowed, agents });
    expect(redirect).toMatchObject({ kind: "response", status: 302 });
    expect(seen.length).toBe(count + 1);
    const slow = await sendWebhookRequest({ url: `${base}/slow`, headers: {}, body: "", policy: loopbackAllowed, agents, timeoutMs: 300 });
    expect(slow).toMatchObject({ kind: "timeout" });
    expect(slow.durationMs).toBeLessThan(1500);
    const big = await sendWebhookRequest({ url: `${base}/big`, headers: {}, body: "", policy: loopbackAllowed, agents });
    expect(big.kind === "response" && big.body.length).toBe(4096);
  });
});
