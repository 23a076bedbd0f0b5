import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { secretEventData } from "./secret-json";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { secretNotFound } from "./secret-access";
import { configuredSecretsBackend } from "./backends/select-backend";
import { storedBackendOf, type SecretsBackend } from "./backends/types";

/**
 * Delete a secret (ciphertext and wrapped key go with the row); audited.
 * Another organization's id is not_found. A value in an external backend is
 * removed after the row (a failure there leaves an orphan in the backend,
 * reported on the server log by name, never a reason to keep the row).
 */
export async function deleteSecret(db: Db, { orgId, id, actor, backend = configuredSecretsBackend() }: { orgId: string; id: string; actor: Actor; backend?: SecretsBackend }) {
  const row = await db.$transaction(async (tx) => {
    const row = await tx.secret.findFirst({ where: { id, organizationId: orgId }, select: { id: true, name: true, scopeKey: true, category: true, scope: true, teamId: true, workspaceId: true, valueVersion: true, ciphertext: true, wrappedKey: true, masterKeyId: true } });
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
  const { ciphertext, wrappedKey, masterKeyId, ...deleted } = row;
  const where = storedBackendOf({ masterKeyId });
  if (where !== "db") {
    if (where !== backend.kind) console.warn(`[gatehouse] secret ${row.id} was deleted; its value stays in ${where} (SECRETS_BACKEND is ${backend.kind})`);
    else await backend.remove({ id: row.id, name: row.name, scopeKey: row.scopeKey, organizationId: orgId }, { ciphertext, wrappedKey, masterKeyId }).catch((error: unknown) => console.warn(`[gatehouse] secret ${row.id} was deleted; removing its value from ${where} failed: ${error instanceof Error ? error.message : "unknown error"}`));
  }
  return deleted;
}
