import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { rotationStatus } from "@/lib/secrets/rotation";
import { secretEventData } from "./secret-json";

const SYSTEM = { type: "system", label: "rotation notices" } as const;

/**
 * One round of rotation notices: every secret with a policy that is due soon
 * (inside its notify-before window) or overdue gets, once per state of its
 * current due date, an audit event (`secret.rotation_due`, system actor) and
 * a webhook event of the same type. "Once" is the unique row of
 * SecretRotationNotice (secret, due date, state), inserted in the
 * transaction that records both events: a second worker racing for the same
 * notice hits the unique index and its transaction rolls back, events
 * included. A new value (or policy) moves the due date: a new window. A
 * secret found already overdue gets only the overdue notice. Returns how many
 * notices this call sent.
 */
export async function emitRotationNotices(db: Db, { now = new Date(), limit = 500 }: { now?: Date; limit?: number } = {}): Promise<number> {
  const candidates = await db.secret.findMany({
    where: { rotationIntervalDays: { not: null } },
    select: { id: true, organizationId: true, name: true, category: true, scope: true, scopeKey: true, teamId: true, workspaceId: true, valueVersion: true, valueChangedAt: true, rotationIntervalDays: true, notifyBeforeDays: true },
    orderBy: { id: "asc" },
    take: 10_000,
  });
  const due = candidates
    .map((s) => ({ s, status: rotationStatus({ intervalDays: s.rotationIntervalDays, notifyBeforeDays: s.notifyBeforeDays, valueChangedAt: s.valueChangedAt }, now) }))
    .flatMap(({ s, status }) => (status.state === "due_soon" || status.state === "overdue" ? [{ s, state: status.state, dueAt: status.dueAt, daysRemaining: status.daysRemaining }] : []));
  if (due.length === 0) return 0;
  const sent = await db.secretRotationNotice.findMany({ where: { secretId: { in: due.map((d) => d.s.id) } }, select: { secretId: true, dueAt: true, state: true } });
  const seen = new Set(sent.map((n) => `${n.secretId}|${n.dueAt.getTime()}|${n.state}`));
  let count = 0;
  for (const { s, state, dueAt, daysRemaining } of due.filter((d) => !seen.has(`${d.s.id}|${d.dueAt.getTime()}|${d.state}`)).slice(0, limit)) {
    try {
      await db.$transaction(async (tx) => {
        await tx.secretRotationNotice.create({ data: { id: newId(), organizationId: s.organizationId, secretId: s.id, dueAt, state } });
        await recordAuditEvent(tx, {
          organizationId: s.organizationId,
          actor: SYSTEM,
          action: "secret.rotation_due",
          resource: { type: "secret", id: s.id, label: s.name },
          outcome: "success",
          metadata: { state, due_at: dueAt.toISOString(), days_remaining: daysRemaining, scope: s.scopeKey },
        });
        await recordWebhookEvent(tx, {
          organizationId: s.organizationId,
          type: "secret.rotation_due",
          resource: { type: "secret", id: s.id },
          data: { ...secretEventData(s), rotation: { state, due_at: dueAt.toISOString(), days_remaining: daysRemaining, interval_days: s.rotationIntervalDays, notify_before_days: s.notifyBeforeDays } },
        });
      });
      count += 1;
    } catch (error) {
      // Another worker sent this notice first (or the secret was deleted meanwhile): nothing to do.
      if (isUniqueViolation(error) || isMissingSecret(error)) continue;
      throw error;
    }
  }
  return count;
}

/** The foreign key to a secret deleted between the read and the insert (P2003). */
function isMissingSecret(error: unknown): boolean {
  return typeof error === "object" && error !== null && Reflect.get(error, "code") === "P2003";
}
