import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import type { SecretScope } from "@/lib/validations/secrets";
import { ORGANIZATION_SCOPE, teamScopeKey, workspaceScopeKey } from "./secret-access";

export interface ScopeTarget {
  scope: SecretScope;
  scopeKey: string;
  teamId: string | null;
  workspaceId: string | null;
}

/** The scope a new secret goes to; the team or workspace must be the organization's (else validation_failed on that field). */
export async function resolveScopeTarget(tx: Tx, orgId: string, input: { scope: SecretScope; teamId?: string; workspaceId?: string }): Promise<ScopeTarget> {
  if (input.scope === "organization") return { scope: "organization", scopeKey: ORGANIZATION_SCOPE, teamId: null, workspaceId: null };
  if (input.scope === "team") {
    const team = input.teamId ? await tx.team.findFirst({ where: { id: input.teamId, organizationId: orgId }, select: { id: true } }) : null;
    if (!team) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: { teamId: ["No such team in this organization."] } });
    return { scope: "team", scopeKey: teamScopeKey(team.id), teamId: team.id, workspaceId: null };
  }
  const ws = input.workspaceId ? await tx.workspace.findFirst({ where: { id: input.workspaceId, organizationId: orgId }, select: { id: true, teamId: true } }) : null;
  if (!ws) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: { workspaceId: ["No such workspace in this organization."] } });
  return { scope: "workspace", scopeKey: workspaceScopeKey(ws.id), teamId: ws.teamId, workspaceId: ws.id };
}

/** Readable names of scope keys ("Organization", "Team Payments", "Workspace Payments / prod"). */
export async function scopeLabels(db: Db, orgId: string): Promise<Map<string, string>> {
  const teams = await db.team.findMany({ where: { organizationId: orgId }, select: { id: true, name: true, workspaces: { select: { id: true, name: true } } } });
  const labels = new Map<string, string>([[ORGANIZATION_SCOPE, "Organization"]]);
  for (const t of teams) {
    labels.set(teamScopeKey(t.id), `Team ${t.name}`);
    for (const w of t.workspaces) labels.set(workspaceScopeKey(w.id), `Workspace ${t.name} / ${w.name}`);
  }
  return labels;
}
