import path from "node:path";
import { parseEnv, type AppConfig, type RawEnv } from "./parse-env";
import { withDevSecrets } from "./dev-secrets";

export type ConfigOutcome =
  | { ok: true; config: AppConfig; warnings: string[] }
  | { ok: false; errors: string[] };

/**
 * The one place that turns an environment into a usable configuration:
 * development secrets are filled in, malformed values are errors, and the
 * hardening problems are fatal in production, warnings in staging, and
 * silent in development.
 */
export function checkConfig(env: RawEnv, cwd: string): ConfigOutcome {
  const resolved = withDevSecrets(env, path.join(cwd, "data"));
  const result = parseEnv(resolved);
  if (!result.ok) return { ok: false, errors: result.errors };
  const { config, problems } = result;
  if (config.appEnv === "production" && problems.length > 0) return { ok: false, errors: problems };
  return { ok: true, config, warnings: config.appEnv === "staging" ? problems : [] };
}

export function formatConfigErrors(errors: string[]): string {
  return [
    "Gatehouse refuses to start: the configuration is not safe or not valid.",
    ...errors.map((e) => `  - ${e}`),
    "See the configuration reference in README.md.",
  ].join("\n");
}
