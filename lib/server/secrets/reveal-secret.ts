import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { openSecretValue } from "@/lib/crypto/envelope";
import { mayRevealSecrets, secretNotFound, visibleScopes, visibleSecretsWhere, type SecretViewer } from "./secret-access";
import { vaultMasterKeys } from "./vault-keys";

/**
 * Decrypt one secret for an explicit reveal, and audit it (`secret.revealed`,
 * with the sudo grant or API request that allowed it) in the same transaction
 * as `lastRevealedAt`. A secret outside the viewer's scopes reads as
 * not_found; an auditor is refused (forbidden). A value that does not decrypt
 * fails without saying anything about the value.
 */
export async function revealSecret(db: Db, { orgId, id, actor, viewer }: { orgId: string; id: string; actor: Actor; viewer: SecretViewer }): Promise<{ id: string; name: string; value: string }> {
  if (!mayRevealSecrets(viewer)) throw new AppError("forbidden", "Auditors see secret names, never their values.");
  const keys = vaultMasterKeys();
  return db.$transaction(async (tx) => {
    const scopes = await visibleScopes(tx, orgId, viewer);
    const row = await tx.secret.findFirst({ where: { id, ...visibleSecretsWhere(orgId, scopes) } });
    if (!row) throw secretNotFound();
    const value = openSecretValue(keys.all, { id: row.id, name: row.name, scopeKey: row.scopeKey }, row);
    await tx.secret.updateMany({ where: { id: row.id, organizationId: orgId }, data: { lastRevealedAt: new Date(), lastRevealedById: actorUserId(actor) } });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "secret.revealed", resource: { type: "secret", id: row.id, label: row.name }, outcome: "success", metadata: { scope: row.scopeKey, version: row.valueVersion } }),
    );
    return { id: row.id, name: row.name, value };
  });
}
