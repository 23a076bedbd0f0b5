import type { RawEnv } from "./parse-env";

/**
 * The secrets backend configuration (SECRETS_BACKEND and the variables of the
 * backend it names). Pure, like parse-env: every problem is returned as an
 * error naming the missing or malformed variable, and the server refuses to
 * start on any of them (a vault that cannot reach its backend is not usable).
 */

export type SecretsBackendKind = "db" | "aws_secrets_manager" | "vault";

export type SecretsBackendConfig =
  | { kind: "db" }
  | {
      kind: "aws_secrets_manager";
      region: string;
      /** Prepended to every name Gatehouse creates (default "gatehouse/"). */
      prefix: string;
      /** AWS_ENDPOINT_URL_SECRETS_MANAGER or AWS_ENDPOINT_URL (the SDK also reads them; kept for the health card). */
      endpoint: string | null;
    }
  | {
      kind: "vault";
      address: string;
      auth: { method: "token"; token: string } | { method: "approle"; roleId: string; secretId: string };
      /** The KV v2 mount (default "secret"). */
      mount: string;
      /** Prepended to every path Gatehouse writes (default "gatehouse/"). */
      prefix: string;
    };

const KINDS: readonly SecretsBackendKind[] = ["db", "aws_secrets_manager", "vault"];

/** AWS credential sources the SDK's default chain reads from the environment. */
export function awsCredentialSourcePresent(env: RawEnv): boolean {
  return Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
  );
}

function normalPrefix(value: string | undefined): string {
  const v = (value ?? "gatehouse/").trim();
  return v === "" || v.endsWith("/") ? v : `${v}/`;
}

export function parseSecretsBackendEnv(env: RawEnv): { config: SecretsBackendConfig; errors: string[] } {
  const errors: string[] = [];
  const kind = (env.SECRETS_BACKEND ?? "db").trim();
  if (!KINDS.includes(kind as SecretsBackendKind)) {
    return { config: { kind: "db" }, errors: [`SECRETS_BACKEND must be one of ${KINDS.join(", ")} (got "${kind}")`] };
  }
  if (kind === "aws_secrets_manager") {
    const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (!region) errors.push("SECRETS_BACKEND=aws_secrets_manager needs AWS_REGION (the region of the Secrets Manager to use, e.g. eu-west-1)");
    if (!awsCredentialSourcePresent(env)) {
      errors.push(
        "SECRETS_BACKEND=aws_secrets_manager needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE, or AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI)",
      );
    }
    const endpoint = env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? env.AWS_ENDPOINT_URL ?? null;
    if (endpoint && !/^https?:\/\/[^\s]+$/.test(endpoint)) errors.push("AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL must be an http(s) URL");
    return { config: { kind, region: region ?? "", prefix: normalPrefix(env.AWS_SECRETS_PREFIX), endpoint }, errors };
  }
  if (kind === "vault") {
    const address = (env.VAULT_ADDR ?? "").replace(/\/+$/, "");
    if (!address) errors.push("SECRETS_BACKEND=vault needs VAULT_ADDR (the address of the Vault server, e.g. https://vault.example.com:8200)");
    else if (!/^https?:\/\/[^\s]+$/.test(address)) errors.push("VAULT_ADDR must be an http(s) URL");
    let auth: Extract<SecretsBackendConfig, { kind: "vault" }>["auth"] = { method: "token", token: "" };
    if (env.VAULT_TOKEN) auth = { method: "token", token: env.VAULT_TOKEN };
    else if (env.VAULT_ROLE_ID && env.VAULT_SECRET_ID) auth = { method: "approle", roleId: env.VAULT_ROLE_ID, secretId: env.VAULT_SECRET_ID };
    else if (env.VAULT_ROLE_ID || env.VAULT_SECRET_ID) errors.push(`SECRETS_BACKEND=vault with AppRole needs both VAULT_ROLE_ID and VAULT_SECRET_ID (${env.VAULT_ROLE_ID ? "VAULT_SECRET_ID" : "VAULT_ROLE_ID"} is missing)`);
    else errors.push("SECRETS_BACKEND=vault needs credentials: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole");
    const mount = (env.VAULT_KV_MOUNT ?? "secret").replace(/^\/+|\/+$/g, "");
    if (!/^[A-Za-z0-9_.\-/]+$/.test(mount)) errors.push("VAULT_KV_MOUNT must be a mount path such as secret");
    return { config: { kind, address, auth, mount, prefix: normalPrefix(env.VAULT_PREFIX) }, errors };
  }
  return { config: { kind: "db" }, errors };
}
