import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { ORGANIZATION_SCOPE, teamScopeKey, visibleScopes, workspaceScopeKey, type SecretViewer } from "./secret-access";

export interface ResolvedSecret {
  name: string;
  /** The secret that supplies the name for this workspace (the narrowest scope). */
  winner: { id: string; scope: string; scopeKey: string };
  /** The broader ones with the same name that it hides. */
  shadows: { id: string; scope: string; scopeKey: string }[];
}

const RANK: Record<string, number> = { workspace: 0, team: 1, organization: 2 };

/** Pure: narrowest scope wins (workspace, then team, then organization), per name. */
export function narrowestWins<T extends { name: string; scope: string }>(rows: readonly T[]): { name: string; winner: T; shadows: T[] }[] {
  const byName = new Map<string, T[]>();
  for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, list]) => {
      const [winner, ...shadows] = [...list].sort((a, b) => (RANK[a.scope] ?? 9) - (RANK[b.scope] ?? 9));
      return { name, winner, shadows };
    });
}

/**
 * For a workspace: every secret name reachable from it (its own, its team's,
 * the organization's), which scope supplies it and what it shadows. Never
 * values. A workspace the viewer cannot see is not_found.
 */
export async function resolveWorkspaceSecrets(db: Db, { orgId, workspaceId, viewer }: { orgId: string; workspaceId: string; viewer: SecretViewer }): Promise<ResolvedSecret[]> {
  const ws = await db.workspace.findFirst({ where: { id: workspaceId, organizationId: orgId }, select: { id: true, teamId: true } });
  const scopes = await visibleScopes(db, orgId, viewer);
  if (!ws || (scopes !== "all" && !scopes.includes(workspaceScopeKey(ws.id)))) throw new AppError("not_found", "That workspace does not exist.");
  const rows = await db.secret.findMany({
    where: { organizationId: orgId, scopeKey: { in: [ORGANIZATION_SCOPE, teamScopeKey(ws.teamId), workspaceScopeKey(ws.id)] } },
    select: { id: true, name: true, scope: true, scopeKey: true },
  });
  return narrowestWins(rows).map(({ name, winner, shadows }) => ({
    name,
    winner: { id: winner.id, scope: winner.scope, scopeKey: winner.scopeKey },
    shadows: shadows.map((s) => ({ id: s.id, scope: s.scope, scopeKey: s.scopeKey })),
  }));
}
