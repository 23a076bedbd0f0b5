import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { secretEventData } from "./secret-json";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { updateSecretSchema } from "@/lib/validations/secrets";
import { fieldErrorsOf } from "@/lib/server/resources/resource-errors";
import { secretNotFound } from "./secret-access";
import { configuredSecretsBackend } from "./backends/select-backend";
import type { SecretsBackend, StoredValue } from "./backends/types";

/**
 * Change a secret's category, description and/or value. A new value gets a
 * fresh data key and nonce (db backend) or a new version in AWS/Vault, written
 * with check-and-set against the version the row knows, and bumps
 * `valueVersion` (the rotation clock restarts). Another organization's id is
 * not_found. Audited without the value.
 */
export async function updateSecret(db: Db, { orgId, id, actor, input, backend = configuredSecretsBackend() }: { orgId: string; id: string; actor: Actor; input: unknown; backend?: SecretsBackend }) {
  const parsed = updateSecretSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  const { category, description, value } = parsed.data;
  // An external backend takes the new value first (check-and-set against the
  // version the row knows), outside the transaction.
  let external: { stored: StoredValue; valueVersion: number } | null = null;
  if (value !== undefined && backend.kind !== "db") {
    const before = await db.secret.findFirst({ where: { id, organizationId: orgId } });
    if (!before) throw secretNotFound();
    external = { stored: await backend.put({ id: before.id, name: before.name, scopeKey: before.scopeKey, organizationId: orgId }, value, before), valueVersion: before.valueVersion };
  }
  return db.$transaction(async (tx) => {
    const row = await tx.secret.findFirst({ where: { id, organizationId: orgId } });
    if (!row) throw secretNotFound();
    if (external && row.valueVersion !== external.valueVersion) throw new AppError("conflict", "The secret changed while you were saving. Reload and try again.");
    const now = new Date();
    const stored = value === undefined ? null : (external?.stored ?? (await backend.put({ id: row.id, name: row.name, scopeKey: row.scopeKey, organizationId: orgId }, value, row)));
    const sealed = stored === null ? {} : { ...stored, valueVersion: row.valueVersion + 1, valueChangedAt: now };
    const { count } = await tx.secret.updateMany({
      where: { id: row.id, organizationId: orgId, valueVersion: row.valueVersion },
      data: { ...(category ? { category } : {}), ...(description !== undefined ? { description } : {}), ...sealed, updatedById: actorUserId(actor), updatedAt: now },
    });
    if (count !== 1) throw new AppError("conflict", "The secret changed while you were saving. Reload and try again.");
    const changed = [category !== undefined && "category", description !== undefined && "description", value !== undefined && "value"].filter(Boolean).join(",");
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "secret.updated", resource: { type: "secret", id: row.id, label: row.name }, outcome: "success", metadata: { scope: row.scopeKey, changed } }),
    );
    const valueVersion = value === undefined ? row.valueVersion : row.valueVersion + 1;
    await recordWebhookEvent(tx, {
      organizationId: orgId,
      type: "secret.updated",
      resource: { type: "secret", id: row.id },
      data: { ...secretEventData({ ...row, ...(category ? { category } : {}), valueVersion }), changed: changed.split(",").filter(Boolean) },
    });
    return { id: row.id, name: row.name, valueVersion };
  });
}
