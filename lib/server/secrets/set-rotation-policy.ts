import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { rotationPolicySchema } from "@/lib/validations/secrets";
import { fieldErrorsOf } from "@/lib/server/resources/resource-errors";
import { secretNotFound } from "./secret-access";

/**
 * Set (or clear, with a null interval) a secret's rotation policy: interval
 * days and notify-before days (the seed's RotationPolicy(30, 7)). The clock
 * runs from the value's last change. Audited with the old and new policy.
 */
export async function setRotationPolicy(db: Db, { orgId, id, actor, input }: { orgId: string; id: string; actor: Actor; input: unknown }) {
  const parsed = rotationPolicySchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  const { intervalDays, notifyBeforeDays } = parsed.data;
  return db.$transaction(async (tx) => {
    const row = await tx.secret.findFirst({ where: { id, organizationId: orgId }, select: { id: true, name: true, rotationIntervalDays: true, notifyBeforeDays: true } });
    if (!row) throw secretNotFound();
    const next = { rotationIntervalDays: intervalDays, notifyBeforeDays: intervalDays === null ? null : notifyBeforeDays };
    await tx.secret.updateMany({ where: { id: row.id, organizationId: orgId }, data: next });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "secret.rotation_policy_changed",
        resource: { type: "secret", id: row.id, label: row.name },
        outcome: "success",
        metadata: { interval_days: next.rotationIntervalDays, notify_before_days: next.notifyBeforeDays, previous_interval_days: row.rotationIntervalDays },
      }),
    );
    return { id: row.id, name: row.name, ...next };
  });
}
