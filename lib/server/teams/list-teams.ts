import "server-only";
import type { Db } from "@/lib/server/db/client";

export interface TeamSummary {
  id: string;
  name: string;
  workspaces: { id: string; name: string }[];
  members: { userId: string; email: string; name: string }[];
}

/** The organization's teams with their workspaces and members, alphabetically. */
export async function listTeams(db: Db, { orgId }: { orgId: string }): Promise<TeamSummary[]> {
  const teams = await db.team.findMany({
    where: { organizationId: orgId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, workspaces: { select: { id: true, name: true }, orderBy: { name: "asc" } }, members: { select: { userId: true } } },
  });
  const userIds = [...new Set(teams.flatMap((t) => t.members.map((m) => m.userId)))];
  // Only people who are still members of the organization count.
  const people = await db.membership.findMany({ where: { organizationId: orgId, userId: { in: userIds } }, select: { userId: true, user: { select: { email: true, name: true } } } });
  const byId = new Map(people.map((p) => [p.userId, { userId: p.userId, email: p.user.email, name: p.user.name }]));
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    workspaces: t.workspaces,
    members: t.members.flatMap((m) => (byId.has(m.userId) ? [byId.get(m.userId)!] : [])).sort((a, b) => a.email.localeCompare(b.email)),
  }));
}
