import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { resolveResourceType, resourceNotFound } from "./resource-errors";
import { toPublicResource, type PublicResource } from "./to-public-resource";
import { lockResource } from "./lock-resource";
import { assertNotReferenced } from "./check-references";
import { revokeApiKeyInTx } from "@/lib/server/api-keys/revoke-api-key";
import { invalidateKeysLocally } from "@/lib/server/api-keys/verify-api-key";

export interface DeleteResourceInput {
  orgId: string;
  type: string;
  id: string;
  actor: Actor;
}

/**
 * Delete a resource with its audit event in one transaction; returns it as it
 * was. not_found for another organization's id; conflict while another
 * resource still references it by name. Deleting an Agent revokes the keys
 * issued to it in the same transaction (audited per key, after the deletion):
 * a key must not outlive the agent it acts as.
 */
export async function deleteResource(db: Db, { orgId, type, id, actor }: DeleteResourceInput): Promise<PublicResource> {
  const def = resolveResourceType(type);
  const revoked: string[] = [];
  const deleted = await db.$transaction(async (tx) => {
    await lockResource(tx, id);
    const row = await tx.platformResource.findFirst({ where: { id, organizationId: orgId, type: def.type } });
    if (!row) throw resourceNotFound(def);
    await assertNotReferenced(tx, orgId, def, row.name, "delete");
    await tx.platformResource.delete({ where: { id: row.id } });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: `${def.type}.deleted`, resource: { type: def.type, id: row.id, label: row.name }, outcome: "success" }),
    );
    const resource = toPublicResource(row);
    await recordWebhookEvent(tx, { organizationId: orgId, type: `${def.type}.deleted`, resource: { type: def.type, id: row.id }, data: resource });
    if (def.type === "agent") {
      const keys = await tx.apiKey.findMany({ where: { organizationId: orgId, agentId: row.id, revokedAt: null }, select: { id: true }, orderBy: { createdAt: "asc" } });
      for (const key of keys) {
        await revokeApiKeyInTx(tx, { keyId: key.id, orgId, actor, reason: "agent deleted", revokedById: "userId" in actor ? actor.userId : null });
        revoked.push(`key:${key.id}`);
      }
    }
    return resource;
  });
  invalidateKeysLocally(db, revoked);
  return deleted;
}
