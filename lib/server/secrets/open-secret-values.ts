import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { openSecretValue } from "@/lib/crypto/envelope";
import { vaultMasterKeys } from "./vault-keys";

/**
 * Decrypt the given secrets of an organization for a caller that audits the
 * use itself (Job ENV resolution: one event naming them all). The same path
 * as revealSecret; a value that does not decrypt throws without saying
 * anything about it. Ids of another organization are simply absent.
 */
export async function openSecretValues(tx: Tx, orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const keys = vaultMasterKeys();
  const rows = await tx.secret.findMany({ where: { organizationId: orgId, id: { in: [...ids] } } });
  return new Map(rows.map((row) => [row.id, openSecretValue(keys.all, { id: row.id, name: row.name, scopeKey: row.scopeKey }, row)]));
}
