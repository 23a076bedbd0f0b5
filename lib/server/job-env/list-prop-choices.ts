import "server-only";
import type { Db } from "@/lib/server/db/client";

/** The organization's Props by name (id and name), for the console's pickers. */
export async function listPropChoices(db: Db, { orgId }: { orgId: string }): Promise<{ id: string; name: string }[]> {
  return db.platformResource.findMany({ where: { organizationId: orgId, type: "prop" }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 1000 });
}
