import "server-only";
import type { SecretBinding, SealedSecret } from "@/lib/crypto/envelope";
import type { SecretsBackendKind } from "@/lib/config/secrets-backend-env";
import type { Db } from "@/lib/server/db/client";

export type { SecretsBackendKind };

/** A secret as a backend sees it: its row identity (the external name derives from the id). */
export interface BackendSecret extends SecretBinding {
  organizationId: string;
}

/**
 * What the Secret row keeps for a value, in its existing columns. For the db
 * backend: the envelope (ciphertext, wrapped data key, master key id). For an
 * external backend: no value at all, only a reference in `ciphertext`
 * (`ref:v1:{"name":…,"version":…}`), an empty `wrappedKey` and `masterKeyId`
 * `external:<backend>` (so `vault rewrap` leaves it alone).
 */
export type StoredValue = SealedSecret;

export interface HealthCheck {
  ok: boolean;
  /** Milliseconds the check took. */
  ms: number;
  /** Why it failed (never a value; may name the backend's address, so only signed-in admins see it). */
  error?: string;
  /** The kind of failure, safe to show anyone. */
  reason?: SecretsBackendError["reason"];
}

export interface SecretsBackend {
  readonly kind: SecretsBackendKind;
  /** Store `value` as the new value of `secret`; `previous` is what the row keeps now (null on creation). */
  put(secret: BackendSecret, value: string, previous: StoredValue | null): Promise<StoredValue>;
  /** The value the row refers to. */
  get(secret: BackendSecret, stored: StoredValue): Promise<string>;
  /** Remove the value once its row is gone (external backends; the db backend has nothing left to do). */
  remove(secret: BackendSecret, stored: StoredValue): Promise<void>;
  /** Connectivity checks with a canary secret Gatehouse owns (never a user value). */
  health(db: Db): Promise<{ list_secrets: HealthCheck; get_secret: HealthCheck }>;
}

/** A failure of an external backend: the message says what failed and never carries a value. */
export class SecretsBackendError extends Error {
  constructor(
    message: string,
    readonly reason: "unreachable" | "denied" | "conflict" | "not_found" | "failed" = "failed",
  ) {
    super(message);
    this.name = "SecretsBackendError";
  }
}

const REF_PREFIX = "ref:v1:";

export interface ExternalRef {
  name: string;
  version: string;
}

export function externalStored(kind: Exclude<SecretsBackendKind, "db">, ref: ExternalRef): StoredValue {
  return { ciphertext: REF_PREFIX + JSON.stringify({ name: ref.name, version: ref.version }), wrappedKey: "", masterKeyId: `external:${kind}` };
}

/** The backend a row's value lives in ("db" for an envelope). */
export function storedBackendOf(stored: Pick<StoredValue, "masterKeyId">): SecretsBackendKind {
  if (stored.masterKeyId === "external:aws_secrets_manager") return "aws_secrets_manager";
  if (stored.masterKeyId === "external:vault") return "vault";
  return "db";
}

export function parseExternalRef(kind: Exclude<SecretsBackendKind, "db">, stored: StoredValue): ExternalRef {
  if (stored.masterKeyId !== `external:${kind}` || !stored.ciphertext.startsWith(REF_PREFIX)) {
    throw new SecretsBackendError(`This secret's value is not stored in ${kind} (it is in ${storedBackendOf(stored)}).`, "not_found");
  }
  const ref = JSON.parse(stored.ciphertext.slice(REF_PREFIX.length)) as ExternalRef;
  if (typeof ref.name !== "string" || typeof ref.version !== "string") throw new SecretsBackendError("The secret's backend reference is malformed.", "failed");
  return ref;
}

/** The external name of a secret: prefix, organization, secret id (never the user's name, which may change scope). */
export function externalName(prefix: string, secret: BackendSecret): string {
  return `${prefix}${secret.organizationId}/${secret.id}`;
}

/** The name of the health canary (a constant value Gatehouse writes once; never a user value). */
export function canaryName(prefix: string): string {
  return `${prefix}_health/canary`;
}
export const CANARY_VALUE = "gatehouse-health-canary";

export async function timed(fn: () => Promise<void>): Promise<HealthCheck> {
  const start = performance.now();
  try {
    await fn();
    return { ok: true, ms: Math.round(performance.now() - start) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - start), error: error instanceof Error ? error.message : "failed", reason: error instanceof SecretsBackendError ? error.reason : "failed" };
  }
}
