import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { AppError } from "@/lib/server/errors";

/**
 * The organization's endpoint, locked for the rest of the transaction (two
 * concurrent changes apply one after the other); another organization's id
 * is "not found", like an id that does not exist.
 */
export async function findWebhookEndpointForUpdate(tx: Tx, orgId: string, id: string) {
  await dialectOf(tx).lockKeys(tx, [`webhook-endpoint:${id}`]);
  const endpoint = await tx.webhookEndpoint.findFirst({ where: { id, organizationId: orgId } });
  if (!endpoint) throw new AppError("not_found", "That webhook endpoint does not exist.");
  return endpoint;
}
