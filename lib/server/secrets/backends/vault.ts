import "server-only";
import { CANARY_VALUE, SecretsBackendError, canaryName, externalName, externalStored, parseExternalRef, timed, type SecretsBackend } from "./types";

export interface VaultBackendOptions {
  address: string;
  auth: { method: "token"; token: string } | { method: "approle"; roleId: string; secretId: string };
  mount: string;
  prefix: string;
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

/**
 * HashiCorp Vault KV v2 over its HTTP API (plain fetch: the notes found no
 * maintained client worth its dependencies). Each Gatehouse secret is one KV
 * path `<prefix><org id>/<secret id>` holding `{value}`; the row keeps the path
 * and the version written. Writes use check-and-set: cas 0 on creation, the
 * known version on update, so a value changed behind Gatehouse's back is a
 * conflict, not an overwrite. AppRole logs in on first use and again when the
 * token is refused.
 */
export function vaultBackend(options: VaultBackendOptions): SecretsBackend {
  const base = options.address.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 8_000;
  const segments = (path: string) => path.split("/").filter(Boolean).map(encodeURIComponent).join("/");
  let token: string | null = options.auth.method === "token" ? options.auth.token : null;

  async function raw(method: string, path: string, body?: Json, withToken = true): Promise<{ status: number; json: Json | null }> {
    let res: Response;
    try {
      res = await fetch(`${base}/v1/${path}`, {
        method,
        headers: { ...(withToken && token ? { "X-Vault-Token": token } : {}), ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const c = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
      const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (error as Error).name;
      throw new SecretsBackendError(`Vault is unreachable at ${base} (${cause}).`, "unreachable");
    }
    const text = await res.text();
    let json: Json | null = null;
    try {
      json = text ? (JSON.parse(text) as Json) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json };
  }

  async function login(): Promise<void> {
    if (options.auth.method !== "approle") return;
    const out = await raw("POST", "auth/approle/login", { role_id: options.auth.roleId, secret_id: options.auth.secretId }, false);
    const clientToken = (out.json?.auth as Json | undefined)?.client_token;
    if (out.status !== 200 || typeof clientToken !== "string") throw new SecretsBackendError(`Vault refused the AppRole login (HTTP ${out.status}): check VAULT_ROLE_ID and VAULT_SECRET_ID.`, "denied");
    token = clientToken;
  }

  async function request(operation: string, method: string, path: string, body?: Json) {
    if (!token) await login();
    let out = await raw(method, path, body);
    if (out.status === 403 && options.auth.method === "approle") {
      await login();
      out = await raw(method, path, body);
    }
    if (out.status === 403) throw new SecretsBackendError(`Vault refused ${operation} (permission denied): check the token and its policy for ${options.mount}/.`, "denied");
    return out;
  }

  const errorsOf = (json: Json | null) => (Array.isArray(json?.errors) ? (json.errors as unknown[]).map(String).join("; ") : "");
  const failed = (operation: string, status: number, json: Json | null) => new SecretsBackendError(`Vault failed ${operation} (HTTP ${status}${errorsOf(json) ? `: ${errorsOf(json)}` : ""}).`, status === 404 ? "not_found" : "failed");

  async function write(path: string, value: string, cas: number): Promise<number> {
    const out = await request("a write", "POST", `${options.mount}/data/${segments(path)}`, { data: { value }, options: { cas } });
    if (out.status === 400 && /check-and-set/i.test(errorsOf(out.json))) {
      throw new SecretsBackendError(
        cas === 0 ? "Vault already holds a value at this path: Gatehouse will not overwrite it." : "The secret changed in Vault since Gatehouse last wrote it (check-and-set failed): reload and try again.",
        "conflict",
      );
    }
    const version = ((out.json?.data as Json | undefined) ?? {}).version;
    if (out.status !== 200 || typeof version !== "number") throw failed("a write", out.status, out.json);
    return version;
  }

  async function read(path: string, version?: string): Promise<string> {
    const out = await request("a read", "GET", `${options.mount}/data/${segments(path)}${version ? `?version=${encodeURIComponent(version)}` : ""}`);
    if (out.status !== 200) throw failed("a read", out.status, out.json);
    const value = (((out.json?.data as Json | undefined)?.data as Json | undefined) ?? {}).value;
    if (typeof value !== "string") throw new SecretsBackendError("Vault returned no value for this secret (deleted or destroyed version?).", "not_found");
    return value;
  }

  return {
    kind: "vault",
    async put(secret, value, previous) {
      if (!previous || previous.masterKeyId !== "external:vault") {
        const path = externalName(options.prefix, secret);
        return externalStored("vault", { name: path, version: String(await write(path, value, 0)) });
      }
      const ref = parseExternalRef("vault", previous);
      return externalStored("vault", { name: ref.name, version: String(await write(ref.name, value, Number(ref.version))) });
    },
    async get(_secret, stored) {
      const ref = parseExternalRef("vault", stored);
      return read(ref.name, ref.version);
    },
    async remove(_secret, stored) {
      const ref = parseExternalRef("vault", stored);
      const out = await request("a delete", "DELETE", `${options.mount}/metadata/${segments(ref.name)}`);
      if (out.status !== 204 && out.status !== 200 && out.status !== 404) throw failed("a delete", out.status, out.json);
    },
    async health() {
      const canary = canaryName(options.prefix);
      return {
        list_secrets: await timed(async () => {
          // A list of an empty folder is a 404 in Vault: reachable and allowed all the same.
          const out = await request("a list", "GET", `${options.mount}/metadata/${segments(options.prefix)}?list=true`);
          if (out.status !== 200 && out.status !== 404) throw failed("a list", out.status, out.json);
        }),
        get_secret: await timed(async () => {
          const value = await read(canary).catch(async (error: unknown) => {
            if (!(error instanceof SecretsBackendError && error.reason === "not_found")) throw error;
            // First check: write the canary once (a constant, never a user value).
            await write(canary, CANARY_VALUE, 0).catch((e: unknown) => {
              if (!(e instanceof SecretsBackendError && e.reason === "conflict")) throw e;
            });
            return read(canary);
          });
          if (value !== CANARY_VALUE) throw new Error("the canary secret holds an unexpected value");
        }),
      };
    },
  };
}
