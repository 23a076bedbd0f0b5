import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { secretEventData } from "./secret-json";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { secretNotFound } from "./secret-access";

/** Delete a secret (ciphertext and wrapped key go with the row); audited. Another organization's id is not_found. */
export async function deleteSecret(db: Db, { orgId, id, actor }: { orgId: string; id: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const row = await tx.secret.findFirst({ where: { id, organizationId: orgId }, select: { id: true, name: true, scopeKey: true, category: true, scope: true, teamId: true, workspaceId: true, valueVersion: true } });
    if (!row) throw secretNotFound();
    const { count } = await tx.secret.deleteMany({ where: { id: row.id, organizationId: orgId } });
    if (count !== 1) throw secretNotFound();
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "secret.deleted", resource: { type: "secret", id: row.id, label: row.name }, outcome: "success", metadata: { scope: row.scopeKey } }),
    );
    await recordWebhookEvent(tx, { organizationId: orgId, type: "secret.deleted", resource: { type: "secret", id: row.id }, data: secretEventData(row) });
    return row;
  });
}
