import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback HashiCorp Vault speaking the KV v2 HTTP API as Gatehouse uses it:
 * `/v1/{mount}/data/{path}` (read with `?version=`, write with
 * `{data, options: {cas}}`), `/v1/{mount}/metadata/{path}` (LIST, DELETE),
 * `X-Vault-Token`, AppRole login at `/v1/auth/approle/login`, and Vault's
 * answers: 403 `permission denied`, 404 `{"errors":[]}`, 400 on a
 * check-and-set mismatch.
 */

interface Version {
  data: Record<string, unknown>;
  created: string;
  deleted: boolean;
}

export interface FakeVault {
  url: string;
  mount: string;
  tokens: Set<string>;
  /** The KV store: path → versions (version n at index n-1). */
  kv: Map<string, Version[]>;
  requests: { method: string; path: string; token: string | null }[];
  logins: number;
  /** Write a new version behind Gatehouse's back. */
  writeBehindTheBack(path: string, value: string): void;
  close(): Promise<void>;
}

export async function startFakeVault({ mount = "secret", token, approle }: { mount?: string; token?: string; approle?: { roleId: string; secretId: string } }): Promise<FakeVault> {
  const tokens = new Set<string>(token ? [token] : []);
  const kv = new Map<string, Version[]>();
  const requests: FakeVault["requests"] = [];
  const state = { logins: 0 };
  const now = () => new Date().toISOString();
  const envelope = (data: unknown) => ({ request_id: randomUUID(), lease_id: "", renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null, mount_type: "kv" });
  const metadataOf = (versions: Version[], n: number) => ({ created_time: versions[n - 1].created, custom_metadata: null, deletion_time: versions[n - 1].deleted ? now() : "", destroyed: false, version: n });
  const write = (path: string, data: Record<string, unknown>) => {
    const versions = kv.get(path) ?? [];
    versions.push({ data, created: now(), deleted: false });
    kv.set(path, versions);
    return versions.length;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const send = (status: number, payload?: unknown) => {
        res.writeHead(status, payload === undefined ? {} : { "content-type": "application/json" });
        res.end(payload === undefined ? undefined : JSON.stringify(payload));
      };
      const url = new URL(req.url ?? "/", "http://x");
      const method = req.method === "GET" && url.searchParams.get("list") === "true" ? "LIST" : (req.method ?? "GET");
      const given = typeof req.headers["x-vault-token"] === "string" ? req.headers["x-vault-token"] : null;
      requests.push({ method, path: url.pathname, token: given });
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        return send(400, { errors: ["failed to parse JSON input: invalid character"] });
      }
      if (url.pathname === "/v1/auth/approle/login" && method === "POST") {
        if (!approle || body.role_id !== approle.roleId || body.secret_id !== approle.secretId) return send(400, { errors: ["invalid role or secret ID"] });
        const issued = `hvs.${randomUUID().replace(/-/g, "")}`;
        tokens.add(issued);
        state.logins += 1;
        return send(200, { ...envelope(null), auth: { client_token: issued, accessor: randomUUID(), policies: ["default", "gatehouse"], token_policies: ["default", "gatehouse"], lease_duration: 3600, renewable: true } });
      }
      if (!given || !tokens.has(given)) return send(403, { errors: ["permission denied"] });
      const prefix = `/v1/${mount}/`;
      if (!url.pathname.startsWith(prefix)) return send(404, { errors: [`no handler for route "${url.pathname.slice(4)}". route entry not found.`] });
      const rest = url.pathname.slice(prefix.length);
      const [kind, ...parts] = rest.split("/");
      const path = parts.map(decodeURIComponent).join("/");
      if (kind === "data" && path) {
        if (method === "GET") {
          const versions = kv.get(path);
          const n = url.searchParams.has("version") && url.searchParams.get("version") !== "0" ? Number(url.searchParams.get("version")) : (versions?.length ?? 0);
          if (!versions || !versions[n - 1] || versions[n - 1].deleted) return send(404, { errors: [] });
          return send(200, envelope({ data: versions[n - 1].data, metadata: metadataOf(versions, n) }));
        }
        if (method === "POST" || method === "PUT") {
          if (typeof body.data !== "object" || body.data === null) return send(400, { errors: ["no data provided"] });
          const cas = (body.options as { cas?: unknown } | undefined)?.cas;
          const current = kv.get(path)?.length ?? 0;
          if (cas !== undefined && Number(cas) !== current) return send(400, { errors: ["check-and-set parameter did not match the current version"] });
          const version = write(path, body.data as Record<string, unknown>);
          return send(200, envelope(metadataOf(kv.get(path)!, version)));
        }
      }
      if (kind === "metadata") {
        if (method === "LIST") {
          const folder = path ? `${path.replace(/\/$/, "")}/` : "";
          const keys = new Set<string>();
          for (const p of kv.keys()) if (p.startsWith(folder)) keys.add(p.slice(folder.length).replace(/\/.*$/, "/"));
          return keys.size === 0 ? send(404, { errors: [] }) : send(200, envelope({ keys: [...keys].sort() }));
        }
        if (method === "DELETE" && path) {
          kv.delete(path);
          return send(204);
        }
      }
      return send(405, { errors: ["1 error occurred:\n\t* unsupported operation\n\n"] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mount,
    tokens,
    kv,
    requests,
    get logins() {
      return state.logins;
    },
    writeBehindTheBack(path, value) {
      write(path, { value });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
