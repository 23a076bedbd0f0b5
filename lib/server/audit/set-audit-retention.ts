import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { AUDIT_RETENTION_MAX_DAYS, AUDIT_RETENTION_MIN_DAYS } from "@/lib/validations/audit";
import { recordAuditEvent } from "./record-audit-event";
import { auditEventBy, type Actor } from "./actor";

/** The organization's audit retention in days, or null (keep forever, the default). */
export async function getAuditRetention(db: Db, orgId: string): Promise<number | null> {
  return (await db.auditRetention.findUnique({ where: { organizationId: orgId } }))?.retentionDays ?? null;
}

/**
 * Set (or clear, with null) how long the organization's audit events are kept;
 * the daily maintenance archives and removes older ones
 * (prune-audit-events). Owners only, under sudo (the caller's guard); audited
 * in the same transaction.
 */
export async function setAuditRetention(db: Db, input: { orgId: string; days: number | null; actor: Actor }) {
  const days = input.days;
  if (days !== null && (!Number.isInteger(days) || days < AUDIT_RETENTION_MIN_DAYS || days > AUDIT_RETENTION_MAX_DAYS)) {
    const message = `Enter a whole number of days from ${AUDIT_RETENTION_MIN_DAYS} to ${AUDIT_RETENTION_MAX_DAYS}, or leave it empty to keep events forever.`;
    throw new AppError("validation_failed", message, { fieldErrors: { retentionDays: [message] } });
  }
  await db.$transaction(async (tx) => {
    const org = await tx.organization.findUniqueOrThrow({ where: { id: input.orgId }, select: { id: true, name: true } });
    const before = (await tx.auditRetention.findUnique({ where: { organizationId: input.orgId } }))?.retentionDays ?? null;
    const updatedById = input.actor.kind === "user" ? input.actor.userId : null;
    if (days === null) await tx.auditRetention.deleteMany({ where: { organizationId: input.orgId } });
    else await tx.auditRetention.upsert({ where: { organizationId: input.orgId }, create: { organizationId: input.orgId, retentionDays: days, updatedById }, update: { retentionDays: days, updatedById } });
    await recordAuditEvent(
      tx,
      auditEventBy(input.actor, {
        organizationId: input.orgId,
        action: "audit.retention_changed",
        resource: { type: "organization", id: org.id, label: org.name },
        outcome: "success",
        metadata: { retention_days_from: before, retention_days_to: days },
      }),
    );
  });
}
