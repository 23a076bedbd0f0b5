import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { resourceInputSchema } from "@/lib/validations/resources";
import { assertReferencesExist } from "./check-references";
import { fieldErrorsOf, invalidResource, nameConflictOr, resolveResourceType } from "./resource-errors";
import { definedFields, toPublicResource, type PublicResource } from "./to-public-resource";

export interface CreateResourceInput {
  orgId: string;
  /** The registry type, e.g. "prop". */
  type: string;
  actor: Actor;
  /** Name and fields as received (JSON body or form values); validated here with the type's schema. */
  input: unknown;
}

/**
 * Create a resource of `type` in the organization, with its audit event in
 * the same transaction. validation_failed (field errors) for bad input or a
 * reference to a missing resource; conflict (on `name`) for a taken name.
 */
export async function createResource(db: Db, { orgId, type, actor, input }: CreateResourceInput): Promise<PublicResource> {
  const def = resolveResourceType(type);
  const parsed = resourceInputSchema(def).safeParse(input);
  if (!parsed.success) throw invalidResource(fieldErrorsOf(parsed.error));
  const { name, ...values } = parsed.data;
  const fields = definedFields(values);
  const userId = actorUserId(actor);

  return db.$transaction(async (tx) => {
    await assertReferencesExist(tx, orgId, def, fields);
    const row = await tx.platformResource
      .create({ data: { id: newId(), organizationId: orgId, type: def.type, name, data: JSON.stringify(fields), createdById: userId, updatedById: userId } })
      .catch(nameConflictOr(def, name));
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: `${def.type}.created`,
        resource: { type: def.type, id: row.id, label: row.name },
        outcome: "success",
        metadata: { fields: Object.keys(fields).join(",") },
      }),
    );
    const resource = toPublicResource(row);
    await recordWebhookEvent(tx, { organizationId: orgId, type: `${def.type}.created`, resource: { type: def.type, id: row.id }, data: resource });
    return resource;
  });
}
