import "server-only";
import type { Db } from "@/lib/server/db/client";

/** How many resources of each type the organization has (types without any are absent). */
export async function countResources(db: Db, { orgId }: { orgId: string }): Promise<Record<string, number>> {
  const groups = await db.platformResource.groupBy({ by: ["type"], where: { organizationId: orgId }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.type, g._count._all]));
}
