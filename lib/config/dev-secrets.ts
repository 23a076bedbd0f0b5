import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { RawEnv } from "./parse-env";

interface DevSecrets {
  SESSION_SECRET: string;
  GATEHOUSE_MASTER_KEY: string;
}

function isDevSecrets(value: unknown): value is DevSecrets {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.SESSION_SECRET === "string" && typeof v.GATEHOUSE_MASTER_KEY === "string";
}

/**
 * Development only: fill in SESSION_SECRET and GATEHOUSE_MASTER_KEY from
 * `data/dev-secrets.json`, creating it with fresh random values the first time,
 * so the quick start needs no configuration and sessions survive restarts.
 * Values set in the environment always win. Never used for staging/production.
 */
export function withDevSecrets(env: RawEnv, dataDir: string): RawEnv {
  if ((env.APP_ENV ?? "development") !== "development") return env;
  const hasSecret = Boolean(env.SESSION_SECRET || env.NEXTAUTH_SECRET);
  if (hasSecret && env.GATEHOUSE_MASTER_KEY) return env;

  const file = path.join(dataDir, "dev-secrets.json");
  let secrets: DevSecrets | null = null;
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (isDevSecrets(parsed)) secrets = parsed;
  }
  if (!secrets) {
    secrets = {
      SESSION_SECRET: randomBytes(48).toString("base64url"),
      GATEHOUSE_MASTER_KEY: randomBytes(32).toString("base64"),
    };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  }
  return {
    ...env,
    SESSION_SECRET: hasSecret ? env.SESSION_SECRET : secrets.SESSION_SECRET,
    GATEHOUSE_MASTER_KEY: env.GATEHOUSE_MASTER_KEY || secrets.GATEHOUSE_MASTER_KEY,
  };
}

