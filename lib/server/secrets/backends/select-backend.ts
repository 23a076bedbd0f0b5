import "server-only";
import { createRequire } from "node:module";
import path from "node:path";
import { getConfig } from "@/lib/server/config";
import type { SecretsBackendConfig } from "@/lib/config/secrets-backend-env";
import { dbBackend } from "./db";
import { awsSecretsManagerBackend } from "./aws-secrets-manager";
import { vaultBackend } from "./vault";
import type { SecretsBackend } from "./types";

/** The backend a configuration names. */
export function backendFor(config: SecretsBackendConfig): SecretsBackend {
  switch (config.kind) {
    case "aws_secrets_manager":
      return awsSecretsManagerBackend({ region: config.region, prefix: config.prefix, endpoint: config.endpoint });
    case "vault":
      return vaultBackend({ address: config.address, auth: config.auth, mount: config.mount, prefix: config.prefix });
    default:
      return dbBackend();
  }
}

let configured: SecretsBackend | null = null;

/** The backend SECRETS_BACKEND chose (one client per process). */
export function configuredSecretsBackend(): SecretsBackend {
  configured ??= backendFor(getConfig().secretsBackend);
  return configured;
}

/** The npm packages a backend needs at run time, by backend. */
const LIBRARIES: Partial<Record<SecretsBackendConfig["kind"], string>> = { aws_secrets_manager: "@aws-sdk/client-secrets-manager" };

/** Problems that stop the configured backend from working here (a missing client library), named for the startup refusal. */
export function secretsBackendStartupProblems(config: SecretsBackendConfig, cwd = process.cwd()): string[] {
  const library = LIBRARIES[config.kind];
  if (!library) return [];
  try {
    createRequire(path.join(cwd, "package.json")).resolve(library);
    return [];
  } catch {
    return [`SECRETS_BACKEND=${config.kind} needs the npm package ${library}, which is not installed (npm install ${library})`];
  }
}
