import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

/**
 * Revoke one session: the actor's own, or (with `mayManageMembers`) a session
 * of a member of the actor's organization. Anything else is "not found", so a
 * session id of another tenant reveals nothing.
 */
export async function revokeSession(
  db: Db,
  input: { actor: UserActor; orgId: string; sessionId: string; mayManageMembers: boolean },
) {
  await db.$transaction(async (tx) => {
    const target = await tx.session.findUnique({ where: { id: input.sessionId }, include: { user: { select: { email: true, memberships: { select: { organizationId: true } } } } } });
    const own = target?.userId === input.actor.userId;
    const member = target?.user.memberships.some((m) => m.organizationId === input.orgId) ?? false;
    if (!target || (!own && !(input.mayManageMembers && member))) throw new AppError("not_found", "That session does not exist or has already ended.");
    await tx.session.delete({ where: { id: target.id } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "session.revoked",
      resource: { type: "session", id: target.id, label: `${target.user.email} · ${target.deviceLabel}` },
      outcome: "success",
      metadata: { own_session: own },
    });
  });
}

/** Sign out every other session of the actor (sudo: the actor carries the grant). Returns how many ended. */
export async function revokeOtherSessions(db: Db, input: { actor: UserActor; orgId: string; currentSessionId: string }) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId: input.actor.userId, id: { not: input.currentSessionId } } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "session.revoked_others",
      resource: { type: "user", id: input.actor.userId, label: input.actor.email },
      outcome: "success",
      metadata: { sessions_ended: count },
    });
    return count;
  });
}
