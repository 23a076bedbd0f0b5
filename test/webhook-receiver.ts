import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** One request as a loopback receiver saw it, with the official library's verdict. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  path: string;
  /** Secrets registered for the path that the `standardwebhooks` package accepted this request with. */
  verifiedWith: string[];
}

export interface WebhookReceiver {
  base: string;
  received: ReceivedWebhook[];
  /** The secrets a path's receiver verifies with (set when the test creates or rotates its endpoint). */
  secrets: Map<string, string[]>;
  /** What to answer to each successive request on a path (default 200 "ok"/`defaultBody`). */
  scripts: Map<string, ((res: http.ServerResponse) => void)[]>;
  /** Requests whose path has secrets but that no secret verified. */
  unverified(): ReceivedWebhook[];
  close(): Promise<void>;
}

/** True when the `standardwebhooks` npm package (the specification's own library) accepts the request. */
export function standardWebhooksAccepts(secret: string, r: { id: string; timestamp: string; signature: string; body: string }): boolean {
  try {
    new Webhook(secret).verify(r.body, { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature });
    return true;
  } catch {
    return false;
  }
}

/**
 * A receiver on 127.0.0.1 that verifies every delivery on arrival with the
 * `standardwebhooks` package, against the secrets the test registered for the path.
 */
export async function startWebhookReceiver(defaultBody = "ok"): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const secrets = new Map<string, string[]>();
  const scripts = new Map<string, ((res: http.ServerResponse) => void)[]>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const r = { id: String(req.headers["webhook-id"]), timestamp: String(req.headers["webhook-timestamp"]), signature: String(req.headers["webhook-signature"]), body, path };
      received.push({ ...r, verifiedWith: (secrets.get(path) ?? []).filter((s) => standardWebhooksAccepts(s, r)) });
      const next = scripts.get(path)?.shift();
      if (next) next(res);
      else res.writeHead(200).end(defaultBody);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    secrets,
    scripts,
    unverified: () => received.filter((r) => secrets.has(r.path) && r.verifiedWith.length === 0),
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
