import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { canManageMember, isRole, type Role } from "@/lib/permissions";

const GONE = "That session does not exist or has already ended.";

/**
 * Revoke one session, named by its public handle: the actor's own, or (with
 * `mayManageMembers`) a session of a member of the actor's organization whose
 * role the actor may manage (an admin never touches an owner's sessions).
 * Anything else is "not found", so another tenant's session reveals nothing.
 */
export async function revokeSession(
  db: Db,
  input: { actor: UserActor; orgId: string; actorRole: Role; publicId: string; mayManageMembers: boolean },
) {
  await db.$transaction(async (tx) => {
    const target = await tx.session.findUnique({
      where: { publicId: input.publicId },
      include: { user: { select: { email: true, memberships: { where: { organizationId: input.orgId }, select: { role: true } } } } },
    });
    if (!target) throw new AppError("not_found", GONE);
    const own = target.userId === input.actor.userId;
    const targetRole = target.user.memberships[0]?.role;
    const manageable = input.mayManageMembers && isRole(targetRole) && canManageMember(input.actorRole, targetRole);
    if (!own && !manageable) throw new AppError("not_found", GONE);
    await tx.session.delete({ where: { id: target.id } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "session.revoked",
      resource: { type: "session", id: target.publicId, label: `${target.user.email} · ${target.deviceLabel}` },
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
