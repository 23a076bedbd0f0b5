import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { secretEventData } from "./secret-json";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { sealSecretValue } from "@/lib/crypto/envelope";
import { createSecretSchema } from "@/lib/validations/secrets";
import { fieldErrorsOf } from "@/lib/server/resources/resource-errors";
import { resolveScopeTarget } from "./secret-scope";
import { vaultMasterKeys } from "./vault-keys";

/**
 * Create a secret at a scope of the organization (callers check the actor may
 * write secrets). The value is sealed before it reaches the database and is
 * never part of the audit event, the answer or an error. conflict on a name
 * taken at that scope (the same name at another scope is allowed: narrowest wins).
 */
export async function createSecret(db: Db, { orgId, actor, input }: { orgId: string; actor: Actor; input: unknown }) {
  const parsed = createSecretSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  const { name, category, description, value, scope, teamId, workspaceId } = parsed.data;
  const keys = vaultMasterKeys();
  const userId = actorUserId(actor);
  return db.$transaction(async (tx) => {
    const target = await resolveScopeTarget(tx, orgId, { scope, teamId, workspaceId });
    const taken = () => new AppError("conflict", `A secret named ${name} already exists at this scope.`, { fieldErrors: { name: [`${name} already exists at this scope.`] } });
    if (await tx.secret.findFirst({ where: { organizationId: orgId, scopeKey: target.scopeKey, name }, select: { id: true } })) throw taken();
    const id = newId();
    const sealed = sealSecretValue(keys.current, { id, name, scopeKey: target.scopeKey }, value);
    // The unique index decides between two parallel creations of one name.
    const row = await tx.secret
      .create({ data: { id, organizationId: orgId, ...target, name, category, description, ...sealed, createdById: userId, updatedById: userId } })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? taken() : error;
      });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "secret.created", resource: { type: "secret", id, label: name }, outcome: "success", metadata: { scope: target.scopeKey, category } }),
    );
    await recordWebhookEvent(tx, { organizationId: orgId, type: "secret.created", resource: { type: "secret", id: row.id }, data: secretEventData(row) });
    return { id: row.id, name: row.name, scope: row.scope, scopeKey: row.scopeKey };
  });
}
