"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { setApiKeyMaxLifetime } from "@/lib/server/orgs/set-api-key-max-lifetime";
import { keyPolicyFormSchema } from "@/lib/validations/api-keys";
import { createTeamSchema, createWorkspaceSchema, deleteTeamSchema, deleteWorkspaceSchema, renameTeamSchema, renameWorkspaceSchema, teamMemberSchema } from "@/lib/validations/teams";
import { createTeam } from "@/lib/server/teams/create-team";
import { renameTeam } from "@/lib/server/teams/rename-team";
import { deleteTeam } from "@/lib/server/teams/delete-team";
import { createWorkspace } from "@/lib/server/teams/create-workspace";
import { renameWorkspace } from "@/lib/server/teams/rename-workspace";
import { deleteWorkspace } from "@/lib/server/teams/delete-workspace";
import { setTeamMember } from "@/lib/server/teams/set-team-member";

/** Set the organization's maximum API key lifetime (owners, sudo; audited). */
export const setKeyPolicyAction: (prev: ActionState, formData: FormData) => Promise<ActionResult> = defineAction(
  { schema: keyPolicyFormSchema, guard: { permission: "org.security_policy", sudo: true } },
  async (input, ctx) => {
    await setApiKeyMaxLifetime(getDb(), { orgId: ctx.org.id, days: input.maxLifetimeDays, actor: ctx.actor });
    revalidatePath("/settings");
    revalidatePath("/api-keys");
    return {
      ok: true,
      data: undefined,
      message: input.maxLifetimeDays === null ? "New API keys may now live without a maximum." : `New and rolled API keys now expire within ${input.maxLifetimeDays} days.`,
    };
  },
);

type TeamAction = (prev: ActionState, formData: FormData) => Promise<ActionResult>;
const teamGuard = { permission: "teams.manage", sudo: true } as const;
const done = (message: string): ActionResult => {
  revalidatePath("/settings");
  revalidatePath("/secrets");
  return { ok: true, data: undefined, message };
};

/** Teams and workspaces are the scopes secrets live in: owners and admins manage them, in sudo mode; audited. */
export const createTeamAction: TeamAction = defineAction({ schema: createTeamSchema, guard: teamGuard }, async (input, ctx) => {
  await createTeam(getDb(), { orgId: ctx.org.id, name: input.name, actor: ctx.actor });
  return done(`Team ${input.name} created.`);
});

export const renameTeamAction: TeamAction = defineAction({ schema: renameTeamSchema, guard: teamGuard }, async (input, ctx) => {
  await renameTeam(getDb(), { orgId: ctx.org.id, teamId: input.teamId, name: input.name, actor: ctx.actor });
  return done(`Team renamed to ${input.name}.`);
});

export const deleteTeamAction: TeamAction = defineAction({ schema: deleteTeamSchema, guard: teamGuard }, async (input, ctx) => {
  const team = await deleteTeam(getDb(), { orgId: ctx.org.id, teamId: input.teamId, actor: ctx.actor });
  return done(`Team ${team.name} deleted.`);
});

export const createWorkspaceAction: TeamAction = defineAction({ schema: createWorkspaceSchema, guard: teamGuard }, async (input, ctx) => {
  await createWorkspace(getDb(), { orgId: ctx.org.id, teamId: input.teamId, name: input.name, actor: ctx.actor });
  return done(`Workspace ${input.name} created.`);
});

export const renameWorkspaceAction: TeamAction = defineAction({ schema: renameWorkspaceSchema, guard: teamGuard }, async (input, ctx) => {
  await renameWorkspace(getDb(), { orgId: ctx.org.id, workspaceId: input.workspaceId, name: input.name, actor: ctx.actor });
  return done(`Workspace renamed to ${input.name}.`);
});

export const deleteWorkspaceAction: TeamAction = defineAction({ schema: deleteWorkspaceSchema, guard: teamGuard }, async (input, ctx) => {
  const ws = await deleteWorkspace(getDb(), { orgId: ctx.org.id, workspaceId: input.workspaceId, actor: ctx.actor });
  return done(`Workspace ${ws.name} deleted.`);
});

export const addTeamMemberAction: TeamAction = defineAction({ schema: teamMemberSchema, guard: teamGuard }, async (input, ctx) => {
  const { changed } = await setTeamMember(getDb(), { orgId: ctx.org.id, teamId: input.teamId, userId: input.userId, member: true, actor: ctx.actor });
  return done(changed ? "Added to the team." : "Already in the team.");
});

export const removeTeamMemberAction: TeamAction = defineAction({ schema: teamMemberSchema, guard: teamGuard }, async (input, ctx) => {
  const { changed } = await setTeamMember(getDb(), { orgId: ctx.org.id, teamId: input.teamId, userId: input.userId, member: false, actor: ctx.actor });
  return done(changed ? "Removed from the team." : "Was not in the team.");
});
