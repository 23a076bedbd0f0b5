import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { INTAKE_PROVIDER_LABELS, isIntakeProvider } from "@/lib/integrations/verify-inbound";
import { generateIntakeSecret, sealIntakeSecret } from "./intake-secret";
import { toPublicIntegrationIntake, type PublicIntegrationIntake } from "./public-integration-intake";

/**
 * Create the organization's intake for a provider, or give the existing one a
 * new secret (the old one stops working at once: a sender is reconfigured
 * with the new secret). The secret is returned once and sealed at rest.
 * Audited as `integration.intake_created` or `integration.secret_rotated`.
 */
export async function configureIntegrationIntake(
  db: Db,
  { orgId, actor, provider }: { orgId: string; actor: Actor; provider: unknown },
): Promise<{ intake: PublicIntegrationIntake; secret: string; created: boolean }> {
  if (!isIntakeProvider(provider)) throw new AppError("validation_failed", "Choose GitHub, Gitea or Standard Webhooks.", { fieldErrors: { provider: ["Choose GitHub, Gitea or Standard Webhooks."] } });
  const secret = generateIntakeSecret(provider);
  return db.$transaction(async (tx) => {
    const existing = await tx.integrationIntake.findUnique({ where: { organizationId_provider: { organizationId: orgId, provider } } });
    const id = existing?.id ?? `itk_${newId()}`;
    const now = new Date();
    const row = existing
      ? await tx.integrationIntake.update({ where: { id }, data: { secret: sealIntakeSecret(id, secret), secretRotatedAt: now } })
      : await tx.integrationIntake.create({ data: { id, organizationId: orgId, provider, secret: sealIntakeSecret(id, secret), createdById: actorUserId(actor), createdAt: now, secretRotatedAt: now } });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: existing ? "integration.secret_rotated" : "integration.intake_created",
        resource: { type: "integration_intake", id, label: INTAKE_PROVIDER_LABELS[provider] },
        outcome: "success",
        metadata: { provider },
      }),
    );
    return { intake: toPublicIntegrationIntake(row), secret, created: !existing };
  });
}

/** Remove an intake: its URL answers 404 from then on. Audited. */
export async function deleteIntegrationIntake(db: Db, { orgId, actor, id }: { orgId: string; actor: Actor; id: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.integrationIntake.findFirst({ where: { id, organizationId: orgId } });
    if (!row) throw new AppError("not_found", "No such intake.");
    await tx.integrationReceipt.deleteMany({ where: { intakeId: id } });
    await tx.integrationIntake.delete({ where: { id } });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "integration.intake_deleted",
        resource: { type: "integration_intake", id, label: isIntakeProvider(row.provider) ? INTAKE_PROVIDER_LABELS[row.provider] : row.provider },
        outcome: "success",
        metadata: { provider: row.provider },
      }),
    );
  });
}

/** The organization's intakes, one per configured provider. */
export async function listIntegrationIntakes(db: Db, orgId: string): Promise<PublicIntegrationIntake[]> {
  const rows = await db.integrationIntake.findMany({ where: { organizationId: orgId }, orderBy: { provider: "asc" } });
  return rows.map(toPublicIntegrationIntake);
}
