import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { mayRevealSecrets, secretNotFound, visibleScopes, visibleSecretsWhere, type SecretViewer } from "./secret-access";
import { configuredSecretsBackend } from "./backends/select-backend";
import { readSecretValue } from "./backends/read-secret-value";
import type { SecretsBackend } from "./backends/types";

/**
 * Decrypt one secret for an explicit reveal, and audit it (`secret.revealed`,
 * with the sudo grant or API request that allowed it) in the same transaction
 * as `lastRevealedAt`. A secret outside the viewer's scopes reads as
 * not_found; an auditor is refused (forbidden). A value that does not decrypt
 * fails without saying anything about the value.
 */
export async function revealSecret(
  db: Db,
  { orgId, id, actor, viewer, backend = configuredSecretsBackend() }: { orgId: string; id: string; actor: Actor; viewer: SecretViewer; backend?: SecretsBackend },
): Promise<{ id: string; name: string; value: string }> {
  if (!mayRevealSecrets(viewer)) throw new AppError("forbidden", "Auditors see secret names, never their values.");
  const scopes = await visibleScopes(db, orgId, viewer);
  const found = await db.secret.findFirst({ where: { id, ...visibleSecretsWhere(orgId, scopes) } });
  if (!found) throw secretNotFound();
  // The value comes from where the row says it is (an envelope stays readable after a switch to an external backend).
  const value = await readSecretValue(found, backend);
  return db.$transaction(async (tx) => {
    const row = await tx.secret.findFirst({ where: { id: found.id, ...visibleSecretsWhere(orgId, scopes) }, select: { id: true, name: true, scopeKey: true, valueVersion: true } });
    if (!row) throw secretNotFound();
    await tx.secret.updateMany({ where: { id: row.id, organizationId: orgId }, data: { lastRevealedAt: new Date(), lastRevealedById: actorUserId(actor) } });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "secret.revealed", resource: { type: "secret", id: row.id, label: row.name }, outcome: "success", metadata: { scope: row.scopeKey, version: row.valueVersion } }),
    );
    return { id: row.id, name: row.name, value };
  });
}
