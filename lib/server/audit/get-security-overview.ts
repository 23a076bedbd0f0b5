import "server-only";
import type { Db } from "@/lib/server/db/client";
import { rotationStatus, type RotationStatus } from "@/lib/secrets/rotation";
import { WILDCARD } from "@/lib/api-keys/scopes";

const DAY = 86_400_000;
/** Every list on the page is capped; counts say how many there are in all. */
export const OVERVIEW_LIST_LIMIT = 50;
/** Members considered for the per-member table (an organization larger than this shows the first ones by join date). */
const MEMBER_LIMIT = 500;
/** Secrets with a rotation policy looked at (the page lists the overdue and due ones among them). */
const SECRET_LIMIT = 1000;

export interface MemberSecurity {
  userId: string;
  name: string;
  email: string;
  role: string;
  totp: boolean;
  securityKeys: number;
  sessions: number;
  untrustedSessions: number;
}

export interface FlaggedKey {
  id: string;
  name: string;
  prefix: string;
  ownerId: string;
  ownerLabel: string | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export interface SecurityOverview {
  generatedAt: Date;
  members: MemberSecurity[];
  membersTotal: number;
  withoutSecondFactor: MemberSecurity[];
  require2fa: boolean;
  untrustedSessions: number;
  activeSessions: number;
  keys: {
    active: number;
    wildcard: FlaggedKey[];
    noExpiry: FlaggedKey[];
    unused90d: FlaggedKey[];
    orphaned: FlaggedKey[];
  };
  webhooks: { id: string; url: string; status: string; disabledReason: string | null; failingSince: Date | null }[];
  secrets: { id: string; name: string; scopeKey: string; rotation: Exclude<RotationStatus, { state: "none" | "ok" }> }[];
  last24h: {
    failedSignIns: number;
    denied: number;
    topSources: { ip: string; n: number }[];
  };
  lastChainVerification: { id: string; occurredAt: Date; ok: boolean; actorType: string; actorLabel: string | null; metadata: Record<string, unknown> } | null;
}

function parseScopes(raw: string): string[] {
  try {
    const v = JSON.parse(raw);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * The organization's security posture for owners, admins and auditors. Every
 * query is bounded: by the organization's members, keys, endpoints and
 * secrets (each capped), and for audit events by the last 24 hours on the
 * (organizationId, outcome, occurredAt) index.
 */
export async function getSecurityOverview(db: Db, orgId: string, now = new Date()): Promise<SecurityOverview> {
  const since24h = new Date(now.getTime() - DAY);
  const unusedBefore = new Date(now.getTime() - 90 * DAY);
  const [org, memberships, membersTotal] = await Promise.all([
    db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { require2fa: true } }),
    db.membership.findMany({
      where: { organizationId: orgId },
      orderBy: { createdAt: "asc" },
      take: MEMBER_LIMIT,
      select: {
        role: true,
        user: {
          select: {
            id: true,
            name: true,
            email: true,
            totpCredential: { select: { enabledAt: true } },
            _count: { select: { securityKeys: true } },
          },
        },
      },
    }),
    db.membership.count({ where: { organizationId: orgId } }),
  ]);
  const userIds = memberships.map((m) => m.user.id);
  const liveSession = { userId: { in: userIds }, expiresAt: { gt: now }, idleExpiresAt: { gt: now } };
  const [sessionCounts, untrustedCounts] = await Promise.all([
    db.session.groupBy({ by: ["userId"], where: liveSession, _count: { _all: true } }),
    db.session.groupBy({ by: ["userId"], where: { ...liveSession, trustState: "untrusted" }, _count: { _all: true } }),
  ]);
  const sessionsOf = new Map(sessionCounts.map((s) => [s.userId, s._count._all]));
  const untrustedOf = new Map(untrustedCounts.map((s) => [s.userId, s._count._all]));
  const members: MemberSecurity[] = memberships.map((m) => ({
    userId: m.user.id,
    name: m.user.name,
    email: m.user.email,
    role: m.role,
    totp: Boolean(m.user.totpCredential?.enabledAt),
    securityKeys: m.user._count.securityKeys,
    sessions: sessionsOf.get(m.user.id) ?? 0,
    untrustedSessions: untrustedOf.get(m.user.id) ?? 0,
  }));
  const memberIds = new Set(userIds);

  // Keys: the organization's live keys (not revoked, not expired), a bounded set per organization.
  const liveKeys = await db.apiKey.findMany({
    where: { organizationId: orgId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
    take: 2000,
    select: { id: true, name: true, prefix: true, ownerId: true, scopes: true, expiresAt: true, lastUsedAt: true, createdAt: true },
  });
  const ownerIds = [...new Set(liveKeys.map((k) => k.ownerId))];
  const owners = new Map((await db.user.findMany({ where: { id: { in: ownerIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]));
  const flag = (k: (typeof liveKeys)[number]): FlaggedKey => ({ id: k.id, name: k.name, prefix: k.prefix, ownerId: k.ownerId, ownerLabel: owners.get(k.ownerId) ?? null, lastUsedAt: k.lastUsedAt, expiresAt: k.expiresAt });
  const cap = <T,>(list: T[]) => list.slice(0, OVERVIEW_LIST_LIMIT);
  const keys = {
    active: liveKeys.length,
    wildcard: cap(liveKeys.filter((k) => parseScopes(k.scopes).includes(WILDCARD)).map(flag)),
    noExpiry: cap(liveKeys.filter((k) => k.expiresAt === null).map(flag)),
    // Never used counts from creation: a key created 90 days ago and never used is as stale as one last used then.
    unused90d: cap(liveKeys.filter((k) => (k.lastUsedAt ?? k.createdAt) < unusedBefore).map(flag)),
    // Owned by someone who is no longer a member (checked against every membership when the member list was capped).
    orphaned: [] as FlaggedKey[],
  };
  const notMemberOwners = membersTotal > memberships.length
    ? new Set((await db.membership.findMany({ where: { organizationId: orgId, userId: { in: ownerIds } }, select: { userId: true } })).map((m) => m.userId))
    : memberIds;
  keys.orphaned = cap(liveKeys.filter((k) => !notMemberOwners.has(k.ownerId)).map(flag));

  const [webhooks, secrets, failedSignIns, denied, topSources, lastCheck] = await Promise.all([
    db.webhookEndpoint.findMany({
      where: { organizationId: orgId, OR: [{ status: "disabled" }, { failingSince: { not: null } }] },
      orderBy: { createdAt: "asc" },
      take: OVERVIEW_LIST_LIMIT,
      select: { id: true, url: true, status: true, disabledReason: true, failingSince: true },
    }),
    db.secret.findMany({
      where: { organizationId: orgId, rotationIntervalDays: { not: null } },
      orderBy: { valueChangedAt: "asc" },
      take: SECRET_LIMIT,
      select: { id: true, name: true, scopeKey: true, valueChangedAt: true, rotationIntervalDays: true, notifyBeforeDays: true },
    }),
    db.auditEvent.count({ where: { organizationId: orgId, action: "user.sign_in", outcome: { in: ["failure", "denied"] }, occurredAt: { gte: since24h } } }),
    db.auditEvent.count({ where: { organizationId: orgId, outcome: "denied", occurredAt: { gte: since24h } } }),
    db.auditEvent.groupBy({
      by: ["ip"],
      where: { organizationId: orgId, outcome: { in: ["failure", "denied"] }, occurredAt: { gte: since24h }, ip: { not: null } },
      _count: { _all: true },
      orderBy: [{ _count: { ip: "desc" } }, { ip: "asc" }],
      take: 5,
    }),
    db.auditEvent.findFirst({
      where: { organizationId: orgId, action: "audit.chain_verified" },
      orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
      select: { id: true, occurredAt: true, outcome: true, actorType: true, actorLabel: true, metadata: true },
    }),
  ]);

  const dueSecrets: SecurityOverview["secrets"] = [];
  for (const s of secrets) {
    const rotation = rotationStatus({ intervalDays: s.rotationIntervalDays, notifyBeforeDays: s.notifyBeforeDays, valueChangedAt: s.valueChangedAt }, now);
    if (rotation.state === "overdue" || rotation.state === "due_soon") dueSecrets.push({ id: s.id, name: s.name, scopeKey: s.scopeKey, rotation });
  }
  dueSecrets.sort((a, b) => a.rotation.dueAt.getTime() - b.rotation.dueAt.getTime());

  let metadata: Record<string, unknown> = {};
  try {
    metadata = lastCheck ? JSON.parse(lastCheck.metadata) : {};
  } catch {
    metadata = {};
  }
  return {
    generatedAt: now,
    members,
    membersTotal,
    withoutSecondFactor: members.filter((m) => !m.totp && m.securityKeys === 0),
    require2fa: org.require2fa,
    untrustedSessions: members.reduce((n, m) => n + m.untrustedSessions, 0),
    activeSessions: members.reduce((n, m) => n + m.sessions, 0),
    keys,
    webhooks,
    secrets: cap(dueSecrets),
    last24h: { failedSignIns, denied, topSources: topSources.map((r) => ({ ip: r.ip ?? "", n: r._count._all })) },
    lastChainVerification: lastCheck
      ? { id: lastCheck.id, occurredAt: lastCheck.occurredAt, ok: lastCheck.outcome === "success", actorType: lastCheck.actorType, actorLabel: lastCheck.actorLabel, metadata }
      : null,
  };
}
