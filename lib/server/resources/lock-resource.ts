import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";

/**
 * Serialise the transactions that read, merge and write one resource (on
 * PostgreSQL; SQLite transactions already run one at a time), so two partial
 * updates cannot lose each other's changes. Released at commit or rollback.
 */
export async function lockResource(tx: Tx, id: string): Promise<void> {
  await dialectOf(tx).lockKeys(tx, [`platform-resource:${id}`]);
}
