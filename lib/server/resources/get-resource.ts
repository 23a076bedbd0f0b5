import "server-only";
import type { Db } from "@/lib/server/db/client";
import { resolveResourceType, resourceNotFound } from "./resource-errors";
import { toPublicResource, type PublicResource } from "./to-public-resource";

/** One resource of the organization; another organization's id (or another type's) is not_found, like a missing one. */
export async function getResource(db: Db, { orgId, type, id }: { orgId: string; type: string; id: string }): Promise<PublicResource> {
  const def = resolveResourceType(type);
  const row = await db.platformResource.findFirst({ where: { id, organizationId: orgId, type: def.type } });
  if (!row) throw resourceNotFound(def);
  return toPublicResource(row);
}
