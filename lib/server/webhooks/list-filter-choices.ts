import "server-only";
import type { Db } from "@/lib/server/db/client";
import { RESOURCE_DEFINITIONS } from "@/lib/resources/registry";

export interface ResourceChoice {
  id: string;
  type: string;
  name: string;
}

/**
 * The organization's resources an endpoint can be filtered to, by name, for
 * the console's picker: every registry type, at most `perType` of each.
 */
export async function listWebhookFilterChoices(db: Db, orgId: string, perType = 200): Promise<ResourceChoice[]> {
  const types = RESOURCE_DEFINITIONS.map((r) => r.type);
  const rows = await Promise.all(
    types.map((type) => db.platformResource.findMany({ where: { organizationId: orgId, type }, select: { id: true, type: true, name: true }, orderBy: { name: "asc" }, take: perType })),
  );
  return rows.flat();
}
