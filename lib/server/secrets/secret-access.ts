import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import type { Role } from "@/lib/permissions";
import { AppError } from "@/lib/server/errors";

/** Who looks at the vault: a member (by role), or the operator (`system`, sees everything). */
export type SecretViewer = { kind: "member"; userId: string; role: Role } | { kind: "system" };

/** "all", or the scope keys the viewer may see: the organization, their teams and those teams' workspaces. */
export type VisibleScopes = "all" | string[];

export const ORGANIZATION_SCOPE = "organization";
export const teamScopeKey = (teamId: string) => `team:${teamId}`;
export const workspaceScopeKey = (workspaceId: string) => `workspace:${workspaceId}`;

/**
 * The visibility rule, in one place. Owners, admins and auditors (names only;
 * auditors never reveal) see every scope; a member sees the organization's
 * secrets, their teams' and those teams' workspaces', never others.
 * Team membership counts only while the person is still a member.
 */
export async function visibleScopes(db: Db | Tx, orgId: string, viewer: SecretViewer): Promise<VisibleScopes> {
  if (viewer.kind === "system" || viewer.role !== "member") return "all";
  const teams = await db.teamMember.findMany({ where: { organizationId: orgId, userId: viewer.userId }, select: { teamId: true } });
  const teamIds = teams.map((t) => t.teamId);
  const workspaces = teamIds.length ? await db.workspace.findMany({ where: { organizationId: orgId, teamId: { in: teamIds } }, select: { id: true } }) : [];
  return [ORGANIZATION_SCOPE, ...teamIds.map(teamScopeKey), ...workspaces.map((w) => workspaceScopeKey(w.id))];
}

/** A Prisma filter for the secrets of `orgId` the viewer may see. */
export function visibleSecretsWhere(orgId: string, scopes: VisibleScopes) {
  return scopes === "all" ? { organizationId: orgId } : { organizationId: orgId, scopeKey: { in: scopes } };
}

export function mayRevealSecrets(viewer: SecretViewer): boolean {
  return viewer.kind === "system" || viewer.role !== "auditor";
}

export const secretNotFound = () => new AppError("not_found", "That secret does not exist.");
