import { z } from "zod";
import { parseIpRange, type IpRange } from "../net/client-ip";
import { parseSecretsBackendEnv, type SecretsBackendConfig } from "./secrets-backend-env";

/**
 * Pure environment parsing shared by the server (lib/server/config.ts) and the
 * start script. It never reads process.env itself and never throws: it returns
 * the parsed configuration plus the list of hardening problems, and the caller
 * decides (by APP_ENV) whether they are fatal or warnings.
 */

const booleanString = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().optional().transform((v) => v ?? fallback);

export const envSchema = z.object({
  APP_ENV: z.enum(["development", "staging", "production"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: z.url({ message: "PUBLIC_URL must be an absolute URL such as https://gatehouse.example.com" }).optional(),
  DATABASE_URL: z.string().min(1).default("file:./data/gatehouse.db"),
  SESSION_SECRET: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  GATEHOUSE_MASTER_KEY: z.string().optional(),
  /** The master key being retired during a rotation, until `gatehouse vault rewrap` has run. */
  GATEHOUSE_MASTER_KEY_PREVIOUS: z.string().optional(),
  ENABLE_DOCS: booleanString,
  ENABLE_DEVELOPER_ROUTES: booleanString,
  TRUSTED_PROXY_HOSTS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean)),
  SESSION_MAX_AGE_HOURS: positiveInt(24 * 7),
  SESSION_IDLE_MINUTES: positiveInt(12 * 60),
  SUDO_TTL_MINUTES: positiveInt(15),
  INVITATION_TTL_HOURS: positiveInt(72),
  DB_POOL_SIZE: positiveInt(10),
  API_KEY_RATE_LIMIT_PER_MINUTE: positiveInt(600),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(15_000),
  WEBHOOKS_ALLOW_HTTP: booleanString,
  WEBHOOKS_ALLOWED_PRIVATE_CIDRS: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean)),
  WEBHOOKS_TIMEOUT_MS: positiveInt(15_000),
  WEBHOOKS_RETENTION_DAYS: positiveInt(30),
  /** "false" keeps the delivery worker out of the web server (run `npm run worker` instead). */
  WEBHOOKS_WORKER: z.enum(["true", "false", "1", "0", ""]).optional().transform((v) => v !== "false" && v !== "0"),
});

export type RawEnv = Record<string, string | undefined>;

export interface AppConfig {
  appEnv: "development" | "staging" | "production";
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string;
  sessionSecret: string;
  masterKey: Buffer | null;
  /** GATEHOUSE_MASTER_KEY_PREVIOUS: still unwraps vault data keys until they are rewrapped. */
  previousMasterKey: Buffer | null;
  enableDocs: boolean;
  enableDeveloperRoutes: boolean;
  /** Validated TRUSTED_PROXY_HOSTS ranges (a malformed entry is a fatal error, never skipped). */
  trustedProxyHosts: readonly IpRange[];
  sessionMaxAgeMs: number;
  sessionIdleMs: number;
  sudoTtlMs: number;
  invitationTtlMs: number;
  secureCookies: boolean;
  /** PostgreSQL connections per instance. */
  dbPoolSize: number;
  /** Requests a minute an API key may make unless its own override says otherwise. */
  apiKeyRateLimitPerMinute: number;
  dbStatementTimeoutMs: number;
  webhooks: {
    /** WEBHOOKS_ALLOW_HTTP: plain http callback URLs (development only). */
    allowHttp: boolean;
    /** WEBHOOKS_ALLOWED_PRIVATE_CIDRS: the only private ranges deliveries may reach. */
    allowedPrivate: readonly IpRange[];
    timeoutMs: number;
    retentionDays: number;
    /** Run the delivery worker inside the web server (default) or only as `npm run worker`. */
    inProcessWorker: boolean;
  };
  /** SECRETS_BACKEND and its variables (lib/config/secrets-backend-env.ts). */
  secretsBackend: SecretsBackendConfig;
}

export type ParseEnvResult =
  | { ok: true; config: AppConfig; problems: string[] }
  | { ok: false; errors: string[] };

export const MIN_SECRET_LENGTH = 32;

function decodeMasterKey(value: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const buf = Buffer.from(value, "base64");
  return buf.length === 32 ? buf : null;
}

/**
 * Parse and check the environment. `errors` are always fatal (malformed values);
 * `problems` are the production hardening rules from DESIGN.md: fatal with
 * APP_ENV=production, warnings with staging, ignored in development.
 */
export function parseEnv(env: RawEnv): ParseEnvResult {
  // Treat empty strings as unset so `FOO= npm start` behaves like no FOO.
  const cleaned: RawEnv = {};
  for (const [k, v] of Object.entries(env)) cleaned[k] = v === "" ? undefined : v;

  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`),
    };
  }
  const e = parsed.data;
  const errors: string[] = [];
  const problems: string[] = [];

  const secret = e.SESSION_SECRET ?? e.NEXTAUTH_SECRET ?? "";
  const secretName = e.SESSION_SECRET !== undefined || e.NEXTAUTH_SECRET === undefined ? "SESSION_SECRET" : "NEXTAUTH_SECRET";
  if (secret.length === 0) {
    // Without a secret anyone who knows a session id could forge its cookie:
    // never acceptable outside development (which generates one).
    const missing = `${secretName} is missing: set it to a random value of at least ${MIN_SECRET_LENGTH} characters (for example: openssl rand -base64 48)`;
    if (e.APP_ENV === "development") problems.push(missing);
    else errors.push(missing);
  } else if (secret.length < MIN_SECRET_LENGTH) {
    problems.push(`${secretName} is too short (${secret.length} characters): it must be at least ${MIN_SECRET_LENGTH} characters`);
  }

  let masterKey: Buffer | null = null;
  if (e.GATEHOUSE_MASTER_KEY === undefined) {
    problems.push("GATEHOUSE_MASTER_KEY is missing: set it to 32 random bytes in base64 (for example: openssl rand -base64 32)");
  } else {
    masterKey = decodeMasterKey(e.GATEHOUSE_MASTER_KEY);
    if (!masterKey) errors.push("GATEHOUSE_MASTER_KEY must be exactly 32 bytes encoded in base64");
  }
  let previousMasterKey: Buffer | null = null;
  if (e.GATEHOUSE_MASTER_KEY_PREVIOUS !== undefined && e.GATEHOUSE_MASTER_KEY_PREVIOUS !== "") {
    previousMasterKey = decodeMasterKey(e.GATEHOUSE_MASTER_KEY_PREVIOUS);
    if (!previousMasterKey) errors.push("GATEHOUSE_MASTER_KEY_PREVIOUS must be exactly 32 bytes encoded in base64");
  }

  if (e.ENABLE_DOCS) problems.push("ENABLE_DOCS=true exposes the interactive API docs: turn it off in production");
  if (e.ENABLE_DEVELOPER_ROUTES) problems.push("ENABLE_DEVELOPER_ROUTES=true exposes developer-only routes: turn it off in production");

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  if (!publicUrl.startsWith("https://")) {
    problems.push(
      e.PUBLIC_URL === undefined
        ? "PUBLIC_URL is missing: set it to the https:// address users reach Gatehouse at"
        : `PUBLIC_URL must use https:// (got ${publicUrl})`,
    );
  }

  // A malformed entry is fatal in every APP_ENV: skipping or guessing it could
  // trust far more than the operator wrote (or less, breaking client IPs silently).
  const trustedProxyHosts: IpRange[] = [];
  for (const entry of e.TRUSTED_PROXY_HOSTS) {
    const parsedRange = parseIpRange(entry);
    if (parsedRange.ok) trustedProxyHosts.push(parsedRange.range);
    else errors.push(`TRUSTED_PROXY_HOSTS: ${parsedRange.reason}`);
  }

  const allowedPrivate: IpRange[] = [];
  for (const entry of e.WEBHOOKS_ALLOWED_PRIVATE_CIDRS) {
    const parsedRange = parseIpRange(entry);
    if (parsedRange.ok) allowedPrivate.push(parsedRange.range);
    else errors.push(`WEBHOOKS_ALLOWED_PRIVATE_CIDRS: ${parsedRange.reason}`);
  }
  if (e.WEBHOOKS_ALLOW_HTTP) problems.push("WEBHOOKS_ALLOW_HTTP=true lets webhooks go out unencrypted: turn it off in production");

  const secretsBackend = parseSecretsBackendEnv(cleaned);
  errors.push(...secretsBackend.errors);

  // Name every problem at once: in production the hardening problems are fatal too.
  if (errors.length > 0) return { ok: false, errors: e.APP_ENV === "production" ? [...errors, ...problems] : errors };

  return {
    ok: true,
    problems,
    config: {
      appEnv: e.APP_ENV,
      port: e.PORT,
      host: e.HOST,
      publicUrl,
      databaseUrl: e.DATABASE_URL,
      sessionSecret: secret,
      masterKey,
      previousMasterKey,
      enableDocs: e.ENABLE_DOCS,
      enableDeveloperRoutes: e.ENABLE_DEVELOPER_ROUTES,
      trustedProxyHosts,
      sessionMaxAgeMs: e.SESSION_MAX_AGE_HOURS * 3_600_000,
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sudoTtlMs: e.SUDO_TTL_MINUTES * 60_000,
      invitationTtlMs: e.INVITATION_TTL_HOURS * 3_600_000,
      secureCookies: e.APP_ENV === "production" || publicUrl.startsWith("https://"),
      dbPoolSize: e.DB_POOL_SIZE,
      apiKeyRateLimitPerMinute: e.API_KEY_RATE_LIMIT_PER_MINUTE,
      dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      webhooks: {
        allowHttp: e.WEBHOOKS_ALLOW_HTTP,
        allowedPrivate,
        timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
        retentionDays: e.WEBHOOKS_RETENTION_DAYS,
        inProcessWorker: e.WEBHOOKS_WORKER,
      },
      secretsBackend: secretsBackend.config,
    },
  };
}
