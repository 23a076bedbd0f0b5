import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { configuredSecretsBackend } from "./backends/select-backend";
import { readSecretValue } from "./backends/read-secret-value";
import type { SecretsBackend } from "./backends/types";

/**
 * The values of the given secrets of an organization, for a caller that audits
 * the use itself (Job ENV resolution: one event naming them all), each read
 * from where its row says it lives (readSecretValue). A value that does not
 * open throws without saying anything about it. Ids of another organization
 * are simply absent. Called outside a transaction: an external backend is a
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
  return new Map(await Promise.all(rows.map(async (row) => [row.id, await readSecretValue(row, backend)] as const)));
}
