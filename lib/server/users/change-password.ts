import "server-only";
import type { Db } from "@/lib/server/db/client";
import { hashPassword } from "@/lib/server/auth/password";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { markUserSessionsUntrusted } from "@/lib/server/sessions/mark-untrusted";

/**
 * Set a new password (the caller holds sudo). Every other session still
 * waiting for its second factor ends (it was opened with the old password, so
 * it must not be completed), and every other trusted session becomes
 * untrusted: whoever is behind it must prove it's them again. With
 * `signOutOthers`, every other session ends instead.
 */
export async function changePassword(db: Db, input: { actor: UserActor; newPassword: string; organizationId: string | null; signOutOthers?: boolean }) {
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.actor.userId }, data: { passwordHash, passwordChangedAt: new Date() } });
    const others = { userId: input.actor.userId, ...(input.actor.sessionId ? { id: { not: input.actor.sessionId } } : {}) };
    const ended = await tx.session.deleteMany({
      where: input.signOutOthers ? others : { ...others, trustState: "pending_second_factor" },
    });
    const affected = await markUserSessionsUntrusted(tx, {
      userId: input.actor.userId,
      exceptSessionId: input.actor.sessionId,
      reason: "The password was changed in another session",
      organizationId: input.organizationId,
    });
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "user.password_changed",
      resource: { type: "user", id: input.actor.userId, label: input.actor.email },
      outcome: "success",
      metadata: { sessions_untrusted: affected, sessions_ended: ended.count, signed_out_others: Boolean(input.signOutOthers) },
    });
    return { sessionsEnded: ended.count, sessionsUntrusted: affected };
  });
}
