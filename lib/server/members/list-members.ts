import "server-only";
import type { Db } from "@/lib/server/db/client";

/** Members and open invitations of one organization (the caller's own, from its session). */
export async function listMembers(db: Db, orgId: string) {
  const [members, invitations] = await Promise.all([
    db.membership.findMany({
      where: { organizationId: orgId },
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { createdAt: "asc" },
    }),
    db.invitation.findMany({
      where: { organizationId: orgId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
    }),
  ]);
  return { members, invitations };
}
