import { requireOrgSession } from "@/lib/server/auth/guards";
import { can } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { listSecrets, type SecretSummary } from "@/lib/server/secrets/list-secrets";
import { listTeams } from "@/lib/server/teams/list-teams";
import { visibleScopes, workspaceScopeKey, type SecretViewer } from "@/lib/server/secrets/secret-access";
import { resolveWorkspaceSecrets, type ResolvedSecret } from "@/lib/server/secrets/resolve-workspace-secrets";
import { isAppError } from "@/lib/server/errors";
import { formatDateTime } from "@/lib/format";
import { SECRET_CATEGORY_LABELS, type SecretCategory } from "@/lib/validations/secrets";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { CreateSecretForm } from "./create-secret-form";
import { SecretRowControls } from "./secret-row-controls";
import { BackendHealthCard } from "./backend-health-card";

export const metadata = { title: "Secrets" };

function RotationBadge({ s }: { s: SecretSummary }) {
  const r = s.rotation;
  if (r.state === "none") return <span className="text-zinc-500 dark:text-zinc-400">No policy</span>;
  if (r.state === "overdue") return <Badge tone="danger">Overdue by {Math.abs(r.daysRemaining)} d</Badge>;
  if (r.state === "due_soon") return <Badge tone="warning">Due in {r.daysRemaining} d</Badge>;
  return <Badge tone="success">{r.daysRemaining} d left</Badge>;
}

const SCOPE_TONE = { organization: "neutral", team: "brand", workspace: "success" } as const;

export default async function SecretsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireOrgSession();
  const db = getDb();
  const viewer: SecretViewer = { kind: "member", userId: ctx.user.id, role: ctx.role };
  const [secrets, teams, scopes] = await Promise.all([listSecrets(db, { orgId: ctx.org.id, viewer }), listTeams(db, { orgId: ctx.org.id }), visibleScopes(db, ctx.org.id, viewer)]);
  const canWrite = can(ctx.role, "secrets.write");
  const canReveal = can(ctx.role, "secrets.reveal");
  const workspaces = teams.flatMap((t) => t.workspaces.map((w) => ({ id: w.id, label: `${t.name} / ${w.name}` }))).filter((w) => scopes === "all" || scopes.includes(workspaceScopeKey(w.id)));
  const requested = (await searchParams).workspace;
  const workspaceId = typeof requested === "string" ? requested : undefined;
  let resolved: ResolvedSecret[] | null = null;
  let resolveError: string | null = null;
  if (workspaceId) {
    try {
      resolved = await resolveWorkspaceSecrets(db, { orgId: ctx.org.id, workspaceId, viewer });
    } catch (error) {
      if (!isAppError(error)) throw error;
      resolveError = error.message;
    }
  }
  const byId = new Map(secrets.map((s) => [s.id, s]));
  const attention = secrets.filter((s) => s.rotation.state === "overdue" || s.rotation.state === "due_soon");

  return (
    <>
      <PageHeader
        title="Secrets"
        description="Credentials for jobs and agents, encrypted in the vault. Names and metadata are listed; a value is shown only when someone reveals it, in sudo mode, and every reveal is audited."
      />
      <div className="space-y-6">
        {!canReveal && (
          <Alert tone="info" title="Names only">
            As an auditor you see every secret&apos;s name, scope and history, never its value.
          </Alert>
        )}
        {attention.length > 0 && (
          <Alert tone="warning" title="Rotation needed">
            {attention.map((s) => `${s.name} (${s.scopeLabel})`).join(", ")} {attention.length === 1 ? "is" : "are"} due for rotation or overdue.
          </Alert>
        )}
        {canWrite && <CreateSecretForm choices={{ teams: teams.map((t) => ({ id: t.id, name: t.name })), workspaces }} />}
        <Card>
          <CardHeader
            title={`Secrets (${secrets.length})`}
            description={ctx.role === "member" ? "The organization's secrets and those of your teams and their workspaces." : "Every secret of the organization, by name."}
          />
          {secrets.length === 0 ? (
            <EmptyState
              title="No secrets yet"
              description="Secrets are credentials such as API tokens, database passwords and signing keys. Template-variable flags (feature switches and other plain settings in your templates) are not secrets: keep them in Job ENV or the template itself, not here."
            />
          ) : (
            <div className="relative overflow-x-auto">
              <table className="w-full min-w-[56rem] text-left text-sm" aria-label="Secrets">
                <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
                  <tr>
                    <th className="px-5 py-2 font-medium">Name</th>
                    <th className="px-3 py-2 font-medium">Scope</th>
                    <th className="px-3 py-2 font-medium">Category</th>
                    <th className="px-3 py-2 font-medium">Created</th>
                    <th className="px-3 py-2 font-medium">Updated</th>
                    <th className="px-3 py-2 font-medium">Last revealed</th>
                    <th className="px-3 py-2 font-medium">Rotation</th>
                    <th className="px-5 py-2 font-medium">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {secrets.map((s) => (
                    <tr key={s.id} className="align-top" data-testid={`secret-${s.name}-${s.scope}`}>
                      <td className="px-5 py-3">
                        <p className="font-mono font-medium whitespace-nowrap">{s.name}</p>
                        {s.description && <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">{s.description}</p>}
                      </td>
                      <td className="px-3 py-3">
                        <Badge tone={SCOPE_TONE[s.scope as keyof typeof SCOPE_TONE] ?? "neutral"}>{s.scopeLabel}</Badge>
                      </td>
                      <td className="px-3 py-3">{SECRET_CATEGORY_LABELS[s.category as SecretCategory] ?? s.category}</td>
                      <td className="px-3 py-3 text-xs text-zinc-600 dark:text-zinc-400">
                        {formatDateTime(s.createdAt)}
                        <br />
                        by {s.createdBy}
                      </td>
                      <td className="px-3 py-3 text-xs text-zinc-600 dark:text-zinc-400">
                        {formatDateTime(s.updatedAt)}
                        <br />
                        by {s.updatedBy} · v{s.valueVersion}
                      </td>
                      <td className="px-3 py-3 text-xs text-zinc-600 dark:text-zinc-400">{s.lastRevealedAt ? formatDateTime(s.lastRevealedAt) : "Never"}</td>
                      <td className="px-3 py-3 text-xs">
                        <RotationBadge s={s} />
                      </td>
                      <td className="px-5 py-3">
                        <SecretRowControls
                          id={s.id}
                          name={s.name}
                          category={s.category}
                          description={s.description}
                          rotation={{ intervalDays: s.rotationIntervalDays, notifyBeforeDays: s.notifyBeforeDays }}
                          canReveal={canReveal}
                          canWrite={canWrite}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <Card>
          <CardHeader title="Resolve for a workspace" description="What a job in a workspace gets for each name: the narrowest scope wins (workspace, then team, then organization). Values are not shown." />
          {workspaces.length === 0 ? (
            <EmptyState title="No workspaces to resolve" description="Workspaces belong to teams; create them in Settings. Members see the workspaces of their teams." />
          ) : (
            <div className="space-y-4 px-5 py-4">
              <form method="get" className="flex flex-wrap items-end gap-2" aria-label="Choose a workspace">
                <div className="space-y-1.5">
                  <label htmlFor="resolve-workspace" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
                    Workspace
                  </label>
                  <select id="resolve-workspace" name="workspace" defaultValue={workspaceId ?? workspaces[0].id} className={inputClasses}>
                    {workspaces.map((w) => (
                      <option key={w.id} value={w.id}>
                        {w.label}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className={buttonClasses("secondary", "md")}>
                  Resolve
                </button>
              </form>
              {resolveError && <Alert tone="error">{resolveError}</Alert>}
              {resolved && resolved.length === 0 && <p className="text-sm text-zinc-500 dark:text-zinc-400">No secret reaches this workspace.</p>}
              {resolved && resolved.length > 0 && (
                <div className="relative overflow-x-auto">
                  <table className="w-full min-w-[36rem] text-left text-sm" aria-label="Resolved secrets">
                    <thead className="border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
                      <tr>
                        <th className="py-2 pr-3 font-medium">Name</th>
                        <th className="px-3 py-2 font-medium">Supplied by</th>
                        <th className="px-3 py-2 font-medium">Shadows</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                      {resolved.map((r) => (
                        <tr key={r.name} data-testid={`resolved-${r.name}`}>
                          <td className="py-2 pr-3 font-mono">{r.name}</td>
                          <td className="px-3 py-2" data-testid="winner">
                            {byId.get(r.winner.id)?.scopeLabel ?? r.winner.scope}
                          </td>
                          <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400" data-testid="shadows">
                            {r.shadows.length ? r.shadows.map((s) => byId.get(s.id)?.scopeLabel ?? s.scope).join(", ") : "—"}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          )}
        </Card>
        <BackendHealthCard showDetail={ctx.role === "owner" || ctx.role === "admin"} />
      </div>
    </>
  );
}
