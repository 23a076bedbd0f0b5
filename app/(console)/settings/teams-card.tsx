"use client";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, inputClasses } from "@/components/ui/field";
import { SudoForm } from "@/components/security/sudo-form";
import {
  addTeamMemberAction,
  createTeamAction,
  createWorkspaceAction,
  deleteTeamAction,
  deleteWorkspaceAction,
  removeTeamMemberAction,
  renameTeamAction,
  renameWorkspaceAction,
} from "./actions";

export interface TeamView {
  id: string;
  name: string;
  workspaces: { id: string; name: string }[];
  members: { userId: string; email: string; name: string }[];
}

const errorsOf = (r: { ok: boolean; fieldErrors?: Record<string, string[]> } | null, field: string) => (r && !r.ok ? r.fieldErrors?.[field] : undefined);

/**
 * Teams and their workspaces: the scopes secrets live in. A member sees the
 * organization's secrets, their teams' and those teams' workspaces'. Owners and
 * admins change them (sudo); everyone else reads.
 */
export function TeamsCard({ teams, people, editable }: { teams: TeamView[]; people: { userId: string; email: string }[]; editable: boolean }) {
  return (
    <Card>
      <CardHeader
        title="Teams and workspaces"
        description="Secrets live in the organization, a team or one of its workspaces. A member sees the organization's secrets and those of their teams and the teams' workspaces, never others'."
      />
      {editable && (
        <div className="border-b border-zinc-200 px-5 py-4 dark:border-zinc-800">
          <SudoForm action={createTeamAction} submitLabel="Create team" pendingLabel="Creating…" ariaLabel="Create a team" className="max-w-sm">
            {(r) => <Field name="name" label="New team" placeholder="Payments" errors={errorsOf(r, "name")} />}
          </SudoForm>
        </div>
      )}
      {teams.length === 0 ? (
        <EmptyState title="No teams yet" description="Without teams every secret is organization-wide. Create a team, add its members, and give it workspaces (for example prod and staging)." />
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Teams">
          {teams.map((team) => (
            <li key={team.id} className="space-y-4 px-5 py-4" aria-label={`Team ${team.name}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="text-sm font-semibold">{team.name}</h3>
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  {team.members.length} member{team.members.length === 1 ? "" : "s"} · {team.workspaces.length} workspace{team.workspaces.length === 1 ? "" : "s"}
                </p>
              </div>
              <div className="grid gap-4 md:grid-cols-2">
                <section aria-label={`Members of ${team.name}`}>
                  <h4 className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Members</h4>
                  {team.members.length === 0 ? (
                    <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">Nobody yet.</p>
                  ) : (
                    <ul className="mt-1 space-y-1">
                      {team.members.map((m) => (
                        <li key={m.userId} className="flex flex-wrap items-center justify-between gap-2 text-sm">
                          <span className="break-all">{m.email}</span>
                          {editable && (
                            <SudoForm action={removeTeamMemberAction} submitLabel="Remove" pendingLabel="Removing…" variant="ghost" showSuccess={false} ariaLabel={`Remove ${m.email} from ${team.name}`}>
                              {() => (
                                <>
                                  <input type="hidden" name="teamId" value={team.id} />
                                  <input type="hidden" name="userId" value={m.userId} />
                                </>
                              )}
                            </SudoForm>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                  {editable && (
                    <SudoForm action={addTeamMemberAction} submitLabel="Add to team" pendingLabel="Adding…" className="mt-3" ariaLabel={`Add a member to ${team.name}`}>
                      {() => (
                        <>
                          <input type="hidden" name="teamId" value={team.id} />
                          <label className="sr-only" htmlFor={`add-${team.id}`}>
                            Member to add to {team.name}
                          </label>
                          <select id={`add-${team.id}`} name="userId" className={inputClasses}>
                            {people
                              .filter((p) => !team.members.some((m) => m.userId === p.userId))
                              .map((p) => (
                                <option key={p.userId} value={p.userId}>
                                  {p.email}
                                </option>
                              ))}
                          </select>
                        </>
                      )}
                    </SudoForm>
                  )}
                </section>
                <section aria-label={`Workspaces of ${team.name}`}>
                  <h4 className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Workspaces</h4>
                  {team.workspaces.length === 0 ? (
                    <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">None yet.</p>
                  ) : (
                    <ul className="mt-1 space-y-2">
                      {team.workspaces.map((w) => (
                        <li key={w.id} className="text-sm">
                          <span className="font-medium">{w.name}</span>
                          {editable && (
                            <div className="mt-1 flex flex-wrap items-end gap-2">
                              <SudoForm action={renameWorkspaceAction} submitLabel="Rename" pendingLabel="Renaming…" className="flex items-end gap-2 space-y-0" showSuccess={false} ariaLabel={`Rename workspace ${w.name}`}>
                                {(r) => (
                                  <>
                                    <input type="hidden" name="workspaceId" value={w.id} />
                                    <Field name="name" label={`New name for ${w.name}`} defaultValue={w.name} errors={errorsOf(r, "name")} className="[&_label]:sr-only" />
                                  </>
                                )}
                              </SudoForm>
                              <SudoForm action={deleteWorkspaceAction} submitLabel="Delete" pendingLabel="Deleting…" variant="ghost" ariaLabel={`Delete workspace ${w.name}`}>
                                {() => <input type="hidden" name="workspaceId" value={w.id} />}
                              </SudoForm>
                            </div>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                  {editable && (
                    <SudoForm action={createWorkspaceAction} submitLabel="Add workspace" pendingLabel="Adding…" className="mt-3" ariaLabel={`Add a workspace to ${team.name}`}>
                      {(r) => (
                        <>
                          <input type="hidden" name="teamId" value={team.id} />
                          <Field name="name" label={`New workspace in ${team.name}`} placeholder="prod" errors={errorsOf(r, "name")} />
                        </>
                      )}
                    </SudoForm>
                  )}
                </section>
              </div>
              {editable && (
                <div className="flex flex-wrap items-end gap-3 border-t border-zinc-100 pt-3 dark:border-zinc-800">
                  <SudoForm action={renameTeamAction} submitLabel="Rename team" pendingLabel="Renaming…" className="flex flex-wrap items-end gap-2 space-y-0" ariaLabel={`Rename team ${team.name}`}>
                    {(r) => (
                      <>
                        <input type="hidden" name="teamId" value={team.id} />
                        <Field name="name" label={`New name for ${team.name}`} defaultValue={team.name} errors={errorsOf(r, "name")} className="[&_label]:sr-only" />
                      </>
                    )}
                  </SudoForm>
                  <SudoForm action={deleteTeamAction} submitLabel="Delete team" pendingLabel="Deleting…" variant="ghost" ariaLabel={`Delete team ${team.name}`}>
                    {() => <input type="hidden" name="teamId" value={team.id} />}
                  </SudoForm>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
