import { requireOrgSession } from "@/lib/server/auth/guards";
import { can } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { listJobEnvVars } from "@/lib/server/job-env/list-job-env-vars";
import { listPropChoices } from "@/lib/server/job-env/list-prop-choices";
import { effectiveJobEnv, type EffectiveVariable } from "@/lib/server/job-env/effective-job-env";
import type { JobEnvVarView } from "@/lib/server/job-env/job-env-json";
import { formatDateTime } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { CreateJobEnvForm } from "./create-job-env-form";
import { JobEnvRowControls } from "./job-env-row-controls";

export const metadata = { title: "Job ENV" };

const TH = "px-3 py-2 font-medium";
const HEAD = "border-b border-zinc-200 text-xs tracking-wide text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400";

function VariablesTable({ label, rows, withProp, canWrite }: { label: string; rows: JobEnvVarView[]; withProp: boolean; canWrite: boolean }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[44rem] text-left text-sm" aria-label={label}>
        <thead className={HEAD}>
          <tr>
            {withProp && <th className="px-5 py-2 font-medium">Prop</th>}
            <th className={withProp ? TH : "px-5 py-2 font-medium"}>Name</th>
            <th className={TH}>Value</th>
            <th className={TH}>Updated</th>
            {canWrite && (
              <th className="px-5 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((v) => (
            <tr key={v.id} className="align-top" data-testid={`var-${v.propName ?? "org"}-${v.name}`}>
              {withProp && <td className="px-5 py-3 whitespace-nowrap">{v.propName}</td>}
              <td className={`${withProp ? "px-3" : "px-5"} py-3 font-mono font-medium whitespace-nowrap`}>{v.name}</td>
              <td className="max-w-md px-3 py-3 font-mono text-xs break-all text-zinc-700 dark:text-zinc-300">{v.value || <span className="text-zinc-400">(empty)</span>}</td>
              <td className="px-3 py-3 text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">{formatDateTime(v.updatedAt)}</td>
              {canWrite && (
                <td className="px-5 py-3">
                  <JobEnvRowControls id={v.id} name={v.name} value={v.value} label={v.propName ? `${v.name} for ${v.propName}` : v.name} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SourceCell({ v }: { v: EffectiveVariable }) {
  return (
    <div className="flex flex-wrap gap-1">
      {v.source === "override" ? <Badge tone="brand">Override</Badge> : <Badge tone="neutral">Global</Badge>}
      {v.shadows && <span className="text-xs text-zinc-500 dark:text-zinc-400">hides the organization value</span>}
    </div>
  );
}

function ReferencesCell({ v }: { v: EffectiveVariable }) {
  if (v.errors.length) return <Badge tone="danger">Invalid: {v.errors[0]}</Badge>;
  if (v.references.length === 0) return <span className="text-zinc-500 dark:text-zinc-400">Plain value</span>;
  return (
    <ul className="space-y-1">
      {v.references.map((r) => (
        <li key={r.name} className="flex flex-wrap items-center gap-1">
          <span className="font-mono text-xs">secrets.{r.name}</span>
          {r.secret ? <Badge tone="success">{r.secret.scopeLabel}</Badge> : <Badge tone="danger">No such secret for this Prop</Badge>}
        </li>
      ))}
    </ul>
  );
}

export default async function JobEnvPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireOrgSession();
  const db = getDb();
  const [vars, props] = await Promise.all([listJobEnvVars(db, { orgId: ctx.org.id }), listPropChoices(db, { orgId: ctx.org.id })]);
  const canWrite = can(ctx.role, "job_env.write");
  const orgVars = vars.filter((v) => !v.propId);
  const overrides = vars.filter((v) => v.propId);
  const requested = (await searchParams).prop;
  const propId = typeof requested === "string" && requested ? requested : undefined;
  let effective: Awaited<ReturnType<typeof effectiveJobEnv>> | null = null;
  let effectiveError: string | null = null;
  if (propId) {
    try {
      effective = await effectiveJobEnv(db, { orgId: ctx.org.id, propId, viewer: { kind: "member", userId: ctx.user.id, role: ctx.role } });
    } catch (error) {
      if (!isAppError(error)) throw error;
      effectiveError = error.message;
    }
  }

  return (
    <>
      <PageHeader
        title="Job ENV"
        description="Environment variables injected into job runs. Values are plain configuration; credentials belong in Secrets and are referenced as {{secrets.NAME}}, resolved only for a run and never shown here."
      />
      <div className="space-y-6">
        {canWrite ? (
          <CreateJobEnvForm props={props} />
        ) : (
          <Alert tone="info" title="Read only">
            Owners and admins change Job ENV. You see the variables and where each comes from, never a secret&apos;s value.
          </Alert>
        )}
        <Card>
          <CardHeader title={`Organization variables (${orgVars.length})`} description="Every Prop's jobs get these, unless the Prop overrides them." />
          {orgVars.length === 0 ? (
            <EmptyState title="No organization variables yet" description="Add settings every job needs, such as LOG_LEVEL=info or DATABASE_URL={{secrets.DATABASE_URL}}." />
          ) : (
            <VariablesTable label="Organization variables" rows={orgVars} withProp={false} canWrite={canWrite} />
          )}
        </Card>
        <Card>
          <CardHeader title={`Prop overrides (${overrides.length})`} description="A Prop's own value for a name; it wins over the organization value for that Prop's jobs." />
          {overrides.length === 0 ? (
            <EmptyState
              title="No overrides yet"
              description={props.length ? "Add a variable and choose a Prop under “Applies to”." : "Overrides belong to Props: create a Prop under Platform first."}
            />
          ) : (
            <VariablesTable label="Prop overrides" rows={overrides} withProp canWrite={canWrite} />
          )}
        </Card>
        <Card>
          <CardHeader
            title="Effective environment"
            description="What a run of a Prop gets: each variable, where it comes from, and for each secret reference the scope that supplies it (narrowest wins from the Prop's workspace up). Secret values are not shown."
          />
          {props.length === 0 ? (
            <EmptyState title="No Props yet" description="Create a Prop under Platform; give it a workspace there so its jobs see that workspace's secrets." />
          ) : (
            <div className="space-y-4 px-5 py-4">
              <form method="get" className="flex flex-wrap items-end gap-2" aria-label="Choose a Prop">
                <div className="space-y-1.5">
                  <label htmlFor="effective-prop" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
                    Prop
                  </label>
                  <select id="effective-prop" name="prop" defaultValue={propId ?? props[0].id} className={inputClasses}>
                    {props.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className={buttonClasses("secondary", "md")}>
                  Show
                </button>
              </form>
              {effectiveError && <Alert tone="error">{effectiveError}</Alert>}
              {effective && (
                <>
                  <p className="text-sm text-zinc-600 dark:text-zinc-400">
                    {effective.prop.workspaceId ? "Secrets come from this Prop's workspace, then its team, then the organization." : "This Prop has no workspace: only organization secrets are visible to it."}
                  </p>
                  {effective.variables.length === 0 ? (
                    <p className="text-sm text-zinc-500 dark:text-zinc-400">No variable reaches this Prop yet.</p>
                  ) : (
                    <div className="relative overflow-x-auto">
                      <table className="w-full min-w-[44rem] text-left text-sm" aria-label={`Effective environment of ${effective.prop.name}`}>
                        <thead className={HEAD}>
                          <tr>
                            <th className="py-2 pr-3 font-medium">Name</th>
                            <th className={TH}>Source</th>
                            <th className={TH}>Secret references</th>
                            <th className={TH}>Value as written</th>
                          </tr>
                        </thead>
                        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                          {effective.variables.map((v) => (
                            <tr key={v.name} className="align-top" data-testid={`effective-${v.name}`}>
                              <td className="py-2 pr-3 font-mono font-medium">{v.name}</td>
                              <td className="px-3 py-2" data-testid="source">
                                <SourceCell v={v} />
                              </td>
                              <td className="px-3 py-2" data-testid="references">
                                <ReferencesCell v={v} />
                              </td>
                              <td className="max-w-sm px-3 py-2 font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{v.value}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  )}
                </>
              )}
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
