import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { parseSecretReferences, type TemplatePart } from "@/lib/job-env/secret-references";
import { narrowestWins } from "@/lib/server/secrets/resolve-workspace-secrets";
import { ORGANIZATION_SCOPE, teamScopeKey, visibleScopes, workspaceScopeKey, type SecretViewer } from "@/lib/server/secrets/secret-access";
import { loadProp, ORGANIZATION_TARGET, propSecretScopes, propTargetKey, type PropTarget } from "./job-env-target";

export interface EffectiveReference {
  name: string;
  /** The secret that supplies it for this Prop (narrowest scope wins), or null when none does. */
  secret: { id: string; scope: string; scopeKey: string; scopeLabel: string } | null;
}

export interface EffectiveVariable {
  name: string;
  /** The stored value, references unresolved (never a secret's value). */
  value: string;
  source: "organization" | "override";
  varId: string;
  /** The organization-wide variable an override hides. */
  shadows: { varId: string } | null;
  references: EffectiveReference[];
  /** Parse errors of a value stored before a rule changed; resolve refuses it. */
  errors: string[];
  parts: TemplatePart[];
}

/**
 * For a Prop: every variable its jobs get (its overrides win over the
 * organization's values), where each comes from, and for each
 * `{{secrets.NAME}}` which scope supplies it. Never decrypts anything.
 * A scope the viewer may not see is labelled as such, not named.
 */
export async function effectiveJobEnv(db: Db | Tx, { orgId, propId, viewer }: { orgId: string; propId: string; viewer: SecretViewer }): Promise<{ prop: PropTarget; variables: EffectiveVariable[] }> {
  const prop = await loadProp(db, orgId, propId);
  const rows = await db.jobEnvVar.findMany({
    where: { organizationId: orgId, targetKey: { in: [ORGANIZATION_TARGET, propTargetKey(prop.id)] } },
    select: { id: true, name: true, value: true, targetKey: true },
  });
  const byName = new Map<string, { org?: (typeof rows)[number]; override?: (typeof rows)[number] }>();
  for (const row of rows) {
    const entry = byName.get(row.name) ?? {};
    if (row.targetKey === ORGANIZATION_TARGET) entry.org = row;
    else entry.override = row;
    byName.set(row.name, entry);
  }
  const chosen = [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, e]) => {
      const row = (e.override ?? e.org)!;
      const parsed = parseSecretReferences(row.value);
      return { name, row, source: e.override ? ("override" as const) : ("organization" as const), shadows: e.override && e.org ? { varId: e.org.id } : null, parsed };
    });
  const names = [...new Set(chosen.flatMap((c) => (c.parsed.ok ? c.parsed.names : [])))];
  const scopeKeys = names.length ? await propSecretScopes(db, orgId, prop) : [];
  const secrets = names.length
    ? await db.secret.findMany({ where: { organizationId: orgId, name: { in: names }, scopeKey: { in: scopeKeys } }, select: { id: true, name: true, scope: true, scopeKey: true } })
    : [];
  const winners = new Map(narrowestWins(secrets).map((w) => [w.name, w.winner]));
  const labels = names.length ? await chainLabels(db, orgId, prop.workspaceId) : new Map<string, string>();
  const visible = names.length ? await visibleScopes(db, orgId, viewer) : "all";
  const labelOf = (scopeKey: string, scope: string) => (visible === "all" || visible.includes(scopeKey) ? (labels.get(scopeKey) ?? scope) : `A ${scope} you cannot see`);
  return {
    prop,
    variables: chosen.map(({ name, row, source, shadows, parsed }) => ({
      name,
      value: row.value,
      source,
      varId: row.id,
      shadows,
      errors: parsed.ok ? [] : parsed.errors,
      parts: parsed.ok ? parsed.parts : [],
      references: (parsed.ok ? parsed.names : []).map((n) => {
        const w = winners.get(n);
        return { name: n, secret: w ? { id: w.id, scope: w.scope, scopeKey: w.scopeKey, scopeLabel: labelOf(w.scopeKey, w.scope) } : null };
      }),
    })),
  };
}

/** Readable names of the Prop's scopes, as the Secrets page writes them. */
async function chainLabels(db: Db | Tx, orgId: string, workspaceId: string | null): Promise<Map<string, string>> {
  const labels = new Map<string, string>([[ORGANIZATION_SCOPE, "Organization"]]);
  if (!workspaceId) return labels;
  const ws = await db.workspace.findFirst({ where: { id: workspaceId, organizationId: orgId }, select: { id: true, name: true, team: { select: { id: true, name: true } } } });
  if (ws) {
    labels.set(teamScopeKey(ws.team.id), `Team ${ws.team.name}`);
    labels.set(workspaceScopeKey(ws.id), `Workspace ${ws.team.name} / ${ws.name}`);
  }
  return labels;
}
