import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent, type AuditMetadata } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { resourcePatchSchema } from "@/lib/validations/resources";
import { assertNotReferenced, assertReferencesExist } from "./check-references";
import { lockResource } from "./lock-resource";
import { fieldErrorsOf, invalidResource, nameConflictOr, resolveResourceType, resourceNotFound } from "./resource-errors";
import { definedFields, storedFields, toPublicResource, type PublicResource } from "./to-public-resource";

export interface UpdateResourceInput {
  orgId: string;
  type: string;
  id: string;
  actor: Actor;
  /**
   * A partial update, like a JSON merge patch: keys left out stay as they are,
   * `null` (or an empty form field) clears a field (back to its default).
   */
  patch: unknown;
}

/**
 * Update a resource: the patch is merged into the stored fields and the
 * result validated with the type's schema; references are checked again. One
 * transaction with its audit event (names of the changed fields, never their
 * values). Nothing changes, and nothing is recorded, when the patch changes nothing.
 */
export async function updateResource(db: Db, { orgId, type, id, actor, patch }: UpdateResourceInput): Promise<PublicResource> {
  const def = resolveResourceType(type);
  const parsed = resourcePatchSchema(def).safeParse(patch);
  if (!parsed.success) throw invalidResource(fieldErrorsOf(parsed.error));
  const { name: newName, ...changes } = parsed.data;

  return db.$transaction(async (tx) => {
    await lockResource(tx, id);
    const row = await tx.platformResource.findFirst({ where: { id, organizationId: orgId, type: def.type } });
    if (!row) throw resourceNotFound(def);

    const before = storedFields(def, row.data);
    const merged: Record<string, unknown> = { ...before };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const checked = def.fields.safeParse(merged);
    if (!checked.success) throw invalidResource(fieldErrorsOf(checked.error));
    const after = definedFields(checked.data);
    const name = newName ?? row.name;

    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (name !== row.name) changed.unshift("name");
    if (changed.length === 0) return toPublicResource(row);

    // References are by name: a renamed target would leave its referrers pointing at nothing.
    if (name !== row.name) await assertNotReferenced(tx, orgId, def, row.name, "rename");
    await assertReferencesExist(tx, orgId, def, after);
    const updated = await tx.platformResource
      .update({ where: { id: row.id }, data: { name, data: JSON.stringify(after), updatedById: actorUserId(actor) } })
      .catch(nameConflictOr(def, name));
    const metadata: AuditMetadata = { changed: changed.join(",") };
    if (name !== row.name) metadata.previous_name = row.name;
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: `${def.type}.updated`, resource: { type: def.type, id: row.id, label: name }, outcome: "success", metadata }),
    );
    const resource = toPublicResource(updated);
    await recordWebhookEvent(tx, { organizationId: orgId, type: `${def.type}.updated`, resource: { type: def.type, id: row.id }, data: resource });
    return resource;
  });
}
