import "server-only";
import type { Db } from "@/lib/server/db/client";

/** Counts for the overview page, all scoped to one organization. */
export async function getOrgOverview(db: Db, orgId: string, userId: string) {
  const now = new Date();
  const [roles, pendingInvitations, mySessions, failedSignIns] = await Promise.all([
    db.membership.groupBy({ by: ["role"], where: { organizationId: orgId }, _count: { _all: true } }),
    db.invitation.count({ where: { organizationId: orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
    db.session.count({ where: { userId, expiresAt: { gt: now } } }),
    db.auditEvent.count({
      where: { organizationId: orgId, action: "user.sign_in", outcome: { in: ["failure", "denied"] }, occurredAt: { gt: new Date(now.getTime() - 86_400_000) } },
    }),
  ]);
  const byRole = Object.fromEntries(roles.map((r) => [r.role, r._count._all]));
  const members = roles.reduce((sum, r) => sum + r._count._all, 0);
  return { members, byRole, pendingInvitations, mySessions, failedSignIns };
}
