import "server-only";
import { configuredSecretsBackend } from "./select-backend";
import { dbBackend } from "./db";
import { SecretsBackendError, storedBackendOf, type SecretsBackend, type StoredValue } from "./types";

/**
 * The value of a Secret row, from wherever the row says it lives: an envelope
 * opens with the master keys whatever SECRETS_BACKEND is (values sealed before
 * a switch stay readable); an external reference is read from the configured
 * backend, and one stored in another backend is a clear error. No audit here:
 * callers (reveal, job environment resolution) record their own event.
 */
export function readSecretValue(
  row: StoredValue & { id: string; name: string; scopeKey: string; organizationId: string },
  backend: SecretsBackend = configuredSecretsBackend(),
): Promise<string> {
  const where = storedBackendOf(row);
  if (where !== "db" && where !== backend.kind) throw new SecretsBackendError(`This secret's value is stored in ${where}, but SECRETS_BACKEND is ${backend.kind}.`, "not_found");
  return (where === "db" ? dbBackend() : backend).get({ id: row.id, name: row.name, scopeKey: row.scopeKey, organizationId: row.organizationId }, row);
}
