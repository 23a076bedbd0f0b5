import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { resourceType, type ResourceDefinition } from "@/lib/resources/registry";
import { invalidResource } from "./resource-errors";

/**
 * Every reference field that is set must name an existing resource of its
 * target type in the same organization, at the moment of saving (inside the
 * saving transaction). Throws validation_failed naming each broken field.
 */
export async function assertReferencesExist(tx: Tx, orgId: string, def: ResourceDefinition, fields: Record<string, unknown>) {
  const errors: Record<string, string[]> = {};
  for (const [field, target] of Object.entries(def.references)) {
    const name = fields[field];
    if (typeof name !== "string" || !target) continue;
    const found = await tx.platformResource.findFirst({ where: { organizationId: orgId, type: target, name }, select: { id: true } });
    if (!found) errors[field] = [`No ${resourceType(target)?.label.toLowerCase() ?? target} named "${name}" exists in this organization.`];
  }
  if (Object.keys(errors).length > 0) throw invalidResource(errors);
}
