import "server-only";
import type { Db } from "@/lib/server/db/client";

export interface RestrictableResource {
  id: string;
  type: string;
  name: string;
}

/** At most this many per type are offered by the console's pickers. */
const PER_TYPE = 200;

/**
 * The organization's platform resources a key can be restricted to (and the
 * agents it can be issued to): id, type and name only, by name, per type.
 */
export async function listRestrictableResources(db: Db, orgId: string, types: readonly string[]): Promise<RestrictableResource[]> {
  const lists = await Promise.all(
    types.map((type) =>
      db.platformResource.findMany({ where: { organizationId: orgId, type }, select: { id: true, type: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }], take: PER_TYPE }),
    ),
  );
  return lists.flat();
}
