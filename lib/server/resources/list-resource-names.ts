import "server-only";
import type { Db } from "@/lib/server/db/client";
import { resolveResourceType } from "./resource-errors";

/** Names of the organization's resources of `type`, alphabetically, for choosing a reference. */
export async function listResourceNames(db: Db, { orgId, type, limit = 500 }: { orgId: string; type: string; limit?: number }): Promise<string[]> {
  const def = resolveResourceType(type);
  const rows = await db.platformResource.findMany({ where: { organizationId: orgId, type: def.type }, select: { name: true }, orderBy: { name: "asc" }, take: limit });
  return rows.map((r) => r.name);
}
