import "server-only";
import type { Db } from "@/lib/server/db/client";

// Never the secret `id` (the cookie's content): lists name sessions by their public handle.
const SESSION_FIELDS = {
  publicId: true,
  createdAt: true,
  lastSeenAt: true,
  expiresAt: true,
  idleExpiresAt: true,
  ip: true,
  deviceLabel: true,
  userAgent: true,
  trustState: true,
  trustReason: true,
  trustChangedAt: true,
  trustFactor: true,
} as const;

/** The user's own live sessions, most recently used first. */
export async function listUserSessions(db: Db, userId: string) {
  const now = new Date();
  return db.session.findMany({
    where: { userId, expiresAt: { gt: now }, idleExpiresAt: { gt: now } },
    orderBy: { lastSeenAt: "desc" },
    select: SESSION_FIELDS,
  });
}

/** Live sessions of the other members of an organization (for owners and admins), with each member's role there. */
export async function listMemberSessions(db: Db, orgId: string, exceptUserId: string) {
  const now = new Date();
  return db.session.findMany({
    where: {
      userId: { not: exceptUserId },
      expiresAt: { gt: now },
      idleExpiresAt: { gt: now },
      user: { memberships: { some: { organizationId: orgId } } },
    },
    orderBy: { lastSeenAt: "desc" },
    select: {
      ...SESSION_FIELDS,
      user: { select: { id: true, email: true, name: true, memberships: { where: { organizationId: orgId }, select: { role: true } } } },
    },
  });
}
