import "server-only";
import type { Db } from "@/lib/server/db/client";

export interface AuditActorOption {
  id: string;
  type: "user" | "api_key" | "agent";
  label: string;
}

/**
 * Who can be picked by name in the actor filter: the organization's members,
 * API keys and agents (a former member's events stay reachable by id, from an
 * event's "other events by this actor" link).
 */
export async function listAuditActors(db: Db, orgId: string): Promise<AuditActorOption[]> {
  const [members, keys, agents] = await Promise.all([
    db.membership.findMany({ where: { organizationId: orgId }, select: { user: { select: { id: true, name: true, email: true } } } }),
    db.apiKey.findMany({ where: { organizationId: orgId }, select: { id: true, name: true, prefix: true } }),
    db.platformResource.findMany({ where: { organizationId: orgId, type: "agent" }, select: { id: true, name: true } }),
  ]);
  const byLabel = (a: AuditActorOption, b: AuditActorOption) => a.label.localeCompare(b.label);
  return [
    ...members.map((m): AuditActorOption => ({ id: m.user.id, type: "user", label: m.user.name ? `${m.user.name} (${m.user.email})` : m.user.email })).sort(byLabel),
    ...keys.map((k): AuditActorOption => ({ id: k.id, type: "api_key", label: `${k.name} (gat_${k.prefix}…)` })).sort(byLabel),
    ...agents.map((a): AuditActorOption => ({ id: a.id, type: "agent", label: a.name })).sort(byLabel),
  ];
}
