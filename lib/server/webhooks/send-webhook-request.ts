import "server-only";
import http from "node:http";
import https from "node:https";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import type { IpRange } from "@/lib/net/client-ip";
import { checkOutboundAddress, checkOutboundUrl } from "@/lib/net/outbound-address";

export interface OutboundPolicy {
  /** WEBHOOKS_ALLOW_HTTP: plain http allowed (development only). */
  allowHttp: boolean;
  /** WEBHOOKS_ALLOWED_PRIVATE_CIDRS. */
  allowedPrivate: readonly IpRange[];
}

/** Resolves a host name to every address it has (the default is the system resolver). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  policy: OutboundPolicy;
  timeoutMs?: number;
  resolver?: Resolver;
  /** Keep-alive agents (one per protocol); defaults to this module's. */
  agents?: { http: http.Agent; https: https.Agent };
}

export type WebhookResponse =
  | { kind: "response"; status: number; headers: http.IncomingHttpHeaders; body: string; durationMs: number; address: string }
  | { kind: "refused"; reason: string; durationMs: number }
  | { kind: "timeout"; reason: string; durationMs: number; address: string }
  | { kind: "network"; reason: string; durationMs: number; address: string | null };

/** Bytes of the response body kept for the delivery history. */
export const RESPONSE_BODY_KEPT = 4096;
// Read (and drop) at most this much more so the connection can be reused; beyond it the socket is closed.
const RESPONSE_DRAIN_LIMIT = 64 * 1024;
export const DEFAULT_TIMEOUT_MS = 15_000;

const defaultAgents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * Resolve the URL's host and check every address it resolves to; the first
 * refused one refuses the delivery (a name with one private address among
 * public ones is a probe). Returns the address to connect to.
 */
export async function resolveOutboundTarget(
  rawUrl: string,
  policy: OutboundPolicy,
  resolver: Resolver = systemResolver,
): Promise<{ ok: true; url: URL; host: string; address: string; family: 4 | 6 } | { ok: false; reason: string }> {
  const checked = checkOutboundUrl(rawUrl, { allowHttp: policy.allowHttp });
  if (!checked.ok) return checked;
  let addresses: { address: string; family: number }[];
  if (isIP(checked.host) !== 0) addresses = [{ address: checked.host, family: isIP(checked.host) }];
  else {
    try {
      addresses = await resolver(checked.host);
    } catch (e) {
      return { ok: false, reason: `${checked.host} could not be resolved (${e instanceof Error ? e.message : "lookup failed"})` };
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `${checked.host} has no addresses` };
  let first: { address: string; family: 4 | 6 } | null = null;
  for (const a of addresses) {
    const verdict = checkOutboundAddress(a.address, policy.allowedPrivate);
    if (!verdict.ok) return { ok: false, reason: `Refused: ${verdict.reason}${isIP(checked.host) ? "" : ` (${checked.host})`}` };
    first ??= verdict;
  }
  return { ok: true, url: checked.url, host: checked.host, address: first!.address, family: first!.family };
}

/** A lookup that answers only the address we checked (DNS rebinding cannot slip another in). */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * POST a webhook: the URL is checked, its host resolved and every address
 * classified at send time, then the connection goes to the checked address
 * (node:http/https with a custom lookup; never the global fetch, which
 * ignores agents and lookups). No redirect is followed (a 3xx is an answer
 * like any other), the whole exchange is bounded by `timeoutMs`, and only the
 * first 4 KB of the response body is kept.
 */
export async function sendWebhookRequest(req: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = await resolveOutboundTarget(req.url, req.policy, req.resolver);
  if (!target.ok) return { kind: "refused", reason: target.reason, durationMs: elapsed() };
  const { url, address, family } = target;
  const agents = req.agents ?? defaultAgents;
  const secure = url.protocol === "https:";
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise<WebhookResponse>((resolve) => {
    let settled = false;
    const finish = (r: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const options: https.RequestOptions = {
      method: "POST",
      protocol: url.protocol,
      hostname: target.host,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers: { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) },
      agent: secure ? agents.https : agents.http,
      lookup: pinnedLookup(address, family),
      ...(secure && isIP(target.host) === 0 ? { servername: target.host } : {}),
    };
    const request = (secure ? https : http).request(options, (res) => {
      const kept: Buffer[] = [];
      let keptBytes = 0;
      let readBytes = 0;
      res.on("data", (chunk: Buffer) => {
        readBytes += chunk.length;
        if (keptBytes < RESPONSE_BODY_KEPT) {
          const slice = chunk.subarray(0, RESPONSE_BODY_KEPT - keptBytes);
          kept.push(slice);
          keptBytes += slice.length;
        }
        if (readBytes > RESPONSE_BODY_KEPT + RESPONSE_DRAIN_LIMIT) {
          res.destroy();
          done();
        }
      });
      const done = () =>
        finish({ kind: "response", status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(kept).toString("utf8"), durationMs: elapsed(), address });
      res.on("end", done);
      res.on("error", done);
      res.on("close", done);
    });
    const timer = setTimeout(() => {
      finish({ kind: "timeout", reason: `No complete answer within ${timeoutMs} ms`, durationMs: elapsed(), address });
      request.destroy();
    }, timeoutMs);
    request.on("error", (e) => finish({ kind: "network", reason: e.message || "connection failed", durationMs: elapsed(), address }));
    request.end(req.body);
  });
}
