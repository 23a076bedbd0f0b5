import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { configuredSecretsBackend } from "./backends/select-backend";
import { dbBackend } from "./backends/db";
import { SecretsBackendError, storedBackendOf, type SecretsBackend } from "./backends/types";

/**
 * The values of the given secrets of an organization, for a caller that audits
 * the use itself (Job ENV resolution: one event naming them all). Each value
 * comes from where its row says it is, as revealSecret reads it: an envelope
 * from the database, a reference from the configured external backend (a row
 * of another external backend is a clear error). A value that does not open
 * throws without saying anything about it. Ids of another organization are
 * simply absent. Called outside a transaction: an external backend is a
 * network round trip.
 */
export async function openSecretValues(
  db: Db | Tx,
  orgId: string,
  ids: readonly string[],
  backend: SecretsBackend = configuredSecretsBackend(),
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.secret.findMany({ where: { organizationId: orgId, id: { in: [...ids] } } });
  const values = await Promise.all(
    rows.map(async (row) => {
      const where = storedBackendOf(row);
      if (where !== "db" && where !== backend.kind) throw new SecretsBackendError(`The value of secret ${row.name} is stored in ${where}, but SECRETS_BACKEND is ${backend.kind}.`, "not_found");
      const value = await (where === "db" ? dbBackend() : backend).get({ id: row.id, name: row.name, scopeKey: row.scopeKey, organizationId: orgId }, row);
      return [row.id, value] as const;
    }),
  );
  return new Map(values);
}
