import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

/** The longest maximum an organization may set (ten years). */
export const MAX_KEY_LIFETIME_LIMIT_DAYS = 3650;

/**
 * Set the organization's maximum API key lifetime in days (null: no maximum).
 * New keys and rolled replacements are held to it; keys that exist keep
 * their expiry. Owners only, under sudo (the caller's guard); audited.
 */
export async function setApiKeyMaxLifetime(db: Db, input: { orgId: string; days: number | null; actor: UserActor }) {
  const days = input.days;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_KEY_LIFETIME_LIMIT_DAYS)) {
    const message = `Enter a whole number of days from 1 to ${MAX_KEY_LIFETIME_LIMIT_DAYS}, or leave it empty for no maximum.`;
    throw new AppError("validation_failed", message, { fieldErrors: { maxLifetimeDays: [message] } });
  }
  await db.$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: input.orgId }, select: { apiKeyMaxLifetimeDays: true } });
    const org = await tx.organization.update({ where: { id: input.orgId }, data: { apiKeyMaxLifetimeDays: days } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "organization.api_key_policy_changed",
      resource: { type: "organization", id: org.id, label: org.name },
      outcome: "success",
      metadata: { max_lifetime_days_from: before.apiKeyMaxLifetimeDays, max_lifetime_days_to: days },
    });
  });
}
