import "server-only";
import type { Db } from "@/lib/server/db/client";
import { configuredSecretsBackend } from "./backends/select-backend";
import type { HealthCheck, SecretsBackend, SecretsBackendKind } from "./backends/types";

export interface SecretsHealth {
  status: "ok" | "unhealthy";
  backend: SecretsBackendKind;
  checks: { list_secrets: HealthCheck; get_secret: HealthCheck };
  checkedAt: Date;
}

/** How long one answer is reused: the open health endpoint cannot make Gatehouse hammer its backend. */
export const HEALTH_TTL_MS = 5_000;

const cache = new WeakMap<SecretsBackend, { at: number; result: Promise<SecretsHealth> }>();

/**
 * The secrets backend's health: can it list, and can it read the canary
 * (a constant secret Gatehouse owns, never a user value). One check at a time
 * per backend, reused for HEALTH_TTL_MS whatever the number of callers.
 */
export function checkSecretsHealth(db: Db, { backend = configuredSecretsBackend(), now = Date.now() }: { backend?: SecretsBackend; now?: number } = {}): Promise<SecretsHealth> {
  const hit = cache.get(backend);
  if (hit && now - hit.at < HEALTH_TTL_MS) return hit.result;
  const result = backend.health(db).then(
    (checks): SecretsHealth => ({ status: checks.list_secrets.ok && checks.get_secret.ok ? "ok" : "unhealthy", backend: backend.kind, checks, checkedAt: new Date() }),
    (): SecretsHealth => {
      const failed: HealthCheck = { ok: false, ms: 0, error: "the health check failed", reason: "failed" };
      return { status: "unhealthy", backend: backend.kind, checks: { list_secrets: failed, get_secret: failed }, checkedAt: new Date() };
    },
  );
  cache.set(backend, { at: now, result });
  return result;
}

/** The open endpoint's answer: status, backend, and per check ok/latency/kind of failure (no addresses, no messages, never a value). */
export function secretsHealthJson(h: SecretsHealth) {
  const check = (c: HealthCheck) => ({ status: c.ok ? ("ok" as const) : ("fail" as const), latency_ms: c.ms, ...(c.ok ? {} : { reason: c.reason ?? "failed" }) });
  return { status: h.status, backend: h.backend, checks: { list_secrets: check(h.checks.list_secrets), get_secret: check(h.checks.get_secret) }, checked_at: h.checkedAt.toISOString() };
}
