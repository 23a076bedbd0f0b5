import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { AppError } from "@/lib/server/errors";
import { RESOURCE_DEFINITIONS, resourceType, type ResourceDefinition } from "@/lib/resources/registry";
import { invalidResource } from "./resource-errors";

/** The lock that serialises "is this name referenced?" against "reference this name" (a key per name, not per row). */
function nameLockKey(orgId: string, type: string, name: string): string {
  return `platform-resource-name:${orgId}:${type}:${name}`;
}

/**
 * Every reference field that is set must name an existing resource of its
 * target type in the same organization, at the moment of saving (inside the
 * saving transaction). The names are locked first, so a parallel delete or
 * rename of a target cannot slip between this check and the commit. Throws
 * validation_failed naming each broken field.
 */
export async function assertReferencesExist(tx: Tx, orgId: string, def: ResourceDefinition, fields: Record<string, unknown>) {
  await assertWorkspaceExists(tx, orgId, def, fields);
  const targets = Object.entries(def.references).flatMap(([field, target]) => {
    const name = fields[field];
    return typeof name === "string" && target ? [{ field, target, name }] : [];
  });
  if (targets.length === 0) return;
  await dialectOf(tx).lockKeys(
    tx,
    targets.map((t) => nameLockKey(orgId, t.target, t.name)),
  );
  const errors: Record<string, string[]> = {};
  for (const { field, target, name } of targets) {
    const found = await tx.platformResource.findFirst({ where: { organizationId: orgId, type: target, name }, select: { id: true } });
    if (!found) errors[field] = [`No ${resourceType(target)?.label.toLowerCase() ?? target} named "${name}" exists in this organization.`];
  }
  if (Object.keys(errors).length > 0) throw invalidResource(errors);
}

/**
 * Before a resource named `name` of `def`'s type is deleted or renamed: no
 * other resource of the organization may still name it. Locks the name (see
 * assertReferencesExist), then looks through the types that reference this
 * one. Throws conflict naming the first few referrers.
 */
export async function assertNotReferenced(tx: Tx, orgId: string, def: ResourceDefinition, name: string, verb: "delete" | "rename") {
  await dialectOf(tx).lockKeys(tx, [nameLockKey(orgId, def.type, name)]);
  const referrers: string[] = [];
  for (const other of RESOURCE_DEFINITIONS) {
    const fields = Object.entries(other.references).filter(([, target]) => target === def.type).map(([field]) => field);
    if (fields.length === 0) continue;
    // Stored JSON is JSON.stringify's (no spaces): the LIKE narrows the rows, the parse below decides.
    const rows = await tx.platformResource.findMany({
      where: { organizationId: orgId, type: other.type, OR: fields.map((f) => ({ data: { contains: `"${f}":${JSON.stringify(name)}` } })) },
      select: { name: true, data: true },
      take: 50,
    });
    for (const row of rows) {
      const data = safeParse(row.data);
      if (fields.some((f) => data[f] === name)) referrers.push(`${other.label.toLowerCase()} "${row.name}"`);
    }
  }
  if (referrers.length > 0) {
    const shown = referrers.slice(0, 3).join(", ") + (referrers.length > 3 ? ` and ${referrers.length - 3} more` : "");
    throw new AppError("conflict", `This ${def.label.toLowerCase()} is used by ${shown}. Change ${referrers.length > 1 ? "them" : "it"} first, then ${verb} it.`);
  }
}

function safeParse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The registry's workspace field, when set, must be a workspace of this organization (another's reads as missing). */
async function assertWorkspaceExists(tx: Tx, orgId: string, def: ResourceDefinition, fields: Record<string, unknown>) {
  const field = def.workspaceField;
  const id = field ? fields[field] : undefined;
  if (!field || typeof id !== "string") return;
  const ws = await tx.workspace.findFirst({ where: { id, organizationId: orgId }, select: { id: true } });
  if (!ws) throw invalidResource({ [field]: ["No such workspace in this organization."] });
}
