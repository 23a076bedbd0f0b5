import "server-only";
import type { Db } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { isRole, type Role } from "@/lib/permissions";
import { contextChangeReason } from "@/lib/trust";
import type { RequestContext } from "@/lib/server/request-context";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { endSession } from "./end-session";

// lastSeen writes are throttled: one per minute per session is enough to show activity.
const TOUCH_INTERVAL_MS = 60_000;

export type TrustState = "pending_second_factor" | "trusted" | "untrusted";

export interface SessionContext {
  session: {
    /** The secret id the cookie carries; never leaves the server. */
    id: string;
    /** The public handle for lists, actions and audit events. */
    publicId: string;
    trustState: TrustState;
    trustReason: string;
    trustChangedAt: Date;
    trustFactor: string | null;
    createdAt: Date;
    expiresAt: Date;
    deviceLabel: string;
    ip: string | null;
  };
  /** The open sudo window of this session, if any. */
  sudo: { grantId: string; factor: string; expiresAt: Date } | null;
  user: { id: string; email: string; name: string; totpEnabled: boolean; securityKeyCount: number; hasSecondFactor: boolean };
  /** The organization the session is acting in, null when the user belongs to none. */
  org: { id: string; name: string; slug: string; require2fa: boolean } | null;
  role: Role | null;
  memberships: { orgId: string; orgName: string; role: Role }[];
}

function asTrustState(value: string): TrustState {
  return value === "trusted" || value === "pending_second_factor" ? value : "untrusted";
}

/**
 * Validate a session id against its row: present, not past its absolute or
 * idle expiry (expired rows are deleted). When `request` is given and the
 * session is trusted, a sensitive context change (IP network, browser or OS
 * family) makes it untrusted on the spot, ends its sudo window and is audited.
 * Extends the idle window and records last-seen at most once a minute.
 */
export async function loadSession(db: Db, sessionId: string, request?: RequestContext, now = new Date()): Promise<SessionContext | null> {
  const row = await db.session.findUnique({
    where: { id: sessionId },
    include: {
      user: {
        include: {
          memberships: { include: { organization: true }, orderBy: { createdAt: "asc" } },
          totpCredential: { select: { enabledAt: true } },
          _count: { select: { securityKeys: true } },
        },
      },
      sudoGrants: { where: { endedAt: null, expiresAt: { gt: now } }, orderBy: { expiresAt: "desc" }, take: 1 },
    },
  });
  if (!row) return null;
  if (row.expiresAt <= now || row.idleExpiresAt <= now) {
    await endSession(db, row.id, "expired");
    return null;
  }

  let trustState = asTrustState(row.trustState);
  let trustReason = row.trustReason;
  let trustChangedAt = row.trustChangedAt;
  let sudoGrant: (typeof row.sudoGrants)[number] | null = row.sudoGrants[0] ?? null;
  const reason = trustState === "trusted" && request ? contextChangeReason({ ip: row.ip, userAgent: row.userAgent }, request) : null;
  if (reason) {
    await db.$transaction(async (tx) => {
      const changed = await tx.session.updateMany({
        where: { id: row.id, trustState: "trusted" },
        data: { trustState: "untrusted", trustReason: reason, trustChangedAt: now },
      });
      if (changed.count !== 1) return;
      await tx.sudoGrant.updateMany({ where: { sessionId: row.id, endedAt: null }, data: { endedAt: now } });
      await recordAuditEvent(tx, {
        organizationId: row.activeOrgId,
        actor: { type: "system", label: "Gatehouse" },
        action: "session.untrusted",
        resource: { type: "session", id: row.publicId, label: `${row.user.email} · ${row.deviceLabel}` },
        outcome: "success",
        context: { ip: request?.ip, userAgent: request?.userAgent, sessionId: row.publicId },
        metadata: { reason },
      });
    });
    trustState = "untrusted";
    trustReason = reason;
    trustChangedAt = now;
    sudoGrant = null;
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
      publicId: row.publicId,
      trustState,
      trustReason,
      trustChangedAt,
      trustFactor: row.trustFactor,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      deviceLabel: row.deviceLabel,
      ip: row.ip,
    },
    sudo: sudoGrant ? { grantId: sudoGrant.id, factor: sudoGrant.factor, expiresAt: sudoGrant.expiresAt } : null,
    user: {
      id: row.user.id,
      email: row.user.email,
      name: row.user.name,
      totpEnabled: Boolean(row.user.totpCredential?.enabledAt),
      securityKeyCount: row.user._count.securityKeys,
      hasSecondFactor: Boolean(row.user.totpCredential?.enabledAt) || row.user._count.securityKeys > 0,
    },
    org: active ? { id: active.org.id, name: active.org.name, slug: active.org.slug, require2fa: active.org.require2fa } : null,
    role: active?.role ?? null,
    memberships: memberships.map(({ orgId, orgName, role }) => ({ orgId, orgName, role })),
  };
}
