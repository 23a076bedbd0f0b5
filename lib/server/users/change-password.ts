import "server-only";
import type { Db } from "@/lib/server/db/client";
import { hashPassword } from "@/lib/server/auth/password";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { markUserSessionsUntrusted } from "@/lib/server/sessions/mark-untrusted";

/**
 * Set a new password (the caller holds sudo). Every other session of the user
 * becomes untrusted: whoever is behind them must prove it's them again.
 */
export async function changePassword(db: Db, input: { actor: UserActor; newPassword: string; organizationId: string | null }) {
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.actor.userId }, data: { passwordHash, passwordChangedAt: new Date() } });
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
      metadata: { sessions_untrusted: affected },
    });
  });
}
