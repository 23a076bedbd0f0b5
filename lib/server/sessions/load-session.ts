import "server-only";
import type { Db } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { isRole, type Role } from "@/lib/permissions";
import { endSession } from "./end-session";

// lastSeen writes are throttled: one per minute per session is enough to show activity.
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionContext {
  session: {
    id: string;
    trustState: string;
    createdAt: Date;
    expiresAt: Date;
    deviceLabel: string;
  };
  user: { id: string; email: string; name: string };
  /** The organization the session is acting in, null when the user belongs to none. */
  org: { id: string; name: string; slug: string } | null;
  role: Role | null;
  memberships: { orgId: string; orgName: string; role: Role }[];
}

/**
 * Validate a session id against its row: present, not past its absolute or
 * idle expiry. Expired rows are deleted. Extends the idle window and records
 * last-seen at most once a minute. Returns null when the session is not valid.
 */
export async function loadSession(db: Db, sessionId: string, now = new Date()): Promise<SessionContext | null> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    include: { user: { include: { memberships: { include: { organization: true }, orderBy: { createdAt: "asc" } } } } },
  });
  if (!row) return null;
  if (row.expiresAt <= now || row.idleExpiresAt <= now) {
    await endSession(db, row.id, "expired");
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    const idle = new Date(Math.min(now.getTime() + getConfig().sessionIdleMs, row.expiresAt.getTime()));
    await db.session.updateMany({ where: { id: row.id }, data: { lastSeenAt: now, idleExpiresAt: idle } });
  }

  const memberships = row.user.memberships.flatMap((m) =>
    isRole(m.role) ? [{ orgId: m.organizationId, orgName: m.organization.name, role: m.role, org: m.organization }] : [],
  );
  const active = memberships.find((m) => m.orgId === row.activeOrgId) ?? memberships[0] ?? null;

  return {
    session: {
      id: row.id,
      trustState: row.trustState,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      deviceLabel: row.deviceLabel,
    },
    user: { id: row.user.id, email: row.user.email, name: row.user.name },
    org: active ? { id: active.org.id, name: active.org.name, slug: active.org.slug } : null,
    role: active?.role ?? null,
    memberships: memberships.map(({ orgId, orgName, role }) => ({ orgId, orgName, role })),
  };
}
