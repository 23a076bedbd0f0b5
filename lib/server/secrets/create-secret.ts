import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { secretEventData } from "./secret-json";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { createSecretSchema } from "@/lib/validations/secrets";
import { fieldErrorsOf } from "@/lib/server/resources/resource-errors";
import { resolveScopeTarget } from "./secret-scope";
import { configuredSecretsBackend } from "./backends/select-backend";
import type { SecretsBackend, StoredValue } from "./backends/types";

/**
 * Create a secret at a scope of the organization (callers check the actor may
 * write secrets). The value is sealed before it reaches the database and is
 * never part of the audit event, the answer or an error. conflict on a name
 * taken at that scope (the same name at another scope is allowed: narrowest wins).
 */
export async function createSecret(db: Db, { orgId, actor, input, backend = configuredSecretsBackend() }: { orgId: string; actor: Actor; input: unknown; backend?: SecretsBackend }) {
  const parsed = createSecretSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  const { name, category, description, value, scope, teamId, workspaceId } = parsed.data;
  const userId = actorUserId(actor);
  const id = newId();
  const taken = () => new AppError("conflict", `A secret named ${name} already exists at this scope.`, { fieldErrors: { name: [`${name} already exists at this scope.`] } });
  // An external backend is written first (outside the transaction: no network
  // call holds the database), and its value removed again if the row fails.
  let external: { stored: StoredValue; scopeKey: string } | null = null;
  if (backend.kind !== "db") {
    const target = await resolveScopeTarget(db, orgId, { scope, teamId, workspaceId });
    if (await db.secret.findFirst({ where: { organizationId: orgId, scopeKey: target.scopeKey, name }, select: { id: true } })) throw taken();
    external = { stored: await backend.put({ id, name, scopeKey: target.scopeKey, organizationId: orgId }, value, null), scopeKey: target.scopeKey };
  }
  try {
    return await insertSecret();
  } catch (error) {
    if (external) await backend.remove({ id, name, scopeKey: external.scopeKey, organizationId: orgId }, external.stored).catch(() => undefined);
    throw error;
  }

  async function insertSecret() {
  return db.$transaction(async (tx) => {
    const target = await resolveScopeTarget(tx, orgId, { scope, teamId, workspaceId });
    if (await tx.secret.findFirst({ where: { organizationId: orgId, scopeKey: target.scopeKey, name }, select: { id: true } })) throw taken();
    const sealed = external?.stored ?? (await backend.put({ id, name, scopeKey: target.scopeKey, organizationId: orgId }, value, null));
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
}
