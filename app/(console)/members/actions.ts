"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { createInvitation } from "@/lib/server/invitations/create-invitation";
import { revokeInvitation } from "@/lib/server/invitations/revoke-invitation";
import { changeMemberRole } from "@/lib/server/members/change-member-role";
import { removeMember } from "@/lib/server/members/remove-member";
import { changeRoleSchema, invitationIdSchema, inviteMemberSchema, membershipIdSchema } from "@/lib/validations/auth";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

/** Create a one-time invitation link (owners and admins, sudo: an invitation can grant any role up to the inviter's). */
export const inviteMemberAction: Action<{ url: string; email: string }> = defineAction(
  { schema: inviteMemberSchema, guard: { permission: "members.invite", sudo: true } },
  async (input, ctx) => {
    const { url, invitation } = await createInvitation(getDb(), { orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, ...input });
    revalidatePath("/members");
    return { ok: true, data: { url, email: invitation.email } };
  },
);

/** Revoke an open invitation (owners and admins). */
export const revokeInvitationAction: Action = defineAction(
  { schema: invitationIdSchema, guard: { permission: "members.invite" } },
  async (input, ctx) => {
    await revokeInvitation(getDb(), { orgId: ctx.org.id, actor: ctx.actor, invitationId: input.invitationId });
    revalidatePath("/members");
    return { ok: true, data: undefined, message: "Invitation revoked." };
  },
);

/** Change a member's role (owners and admins, sudo; only owners touch owners). */
export const changeMemberRoleAction: Action = defineAction(
  { schema: changeRoleSchema, guard: { permission: "members.manage", sudo: true } },
  async (input, ctx) => {
    await changeMemberRole(getDb(), { orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, ...input });
    revalidatePath("/members");
    return { ok: true, data: undefined, message: "Role updated." };
  },
);

/** Remove a member from the organization (sudo; never the last owner). */
export const removeMemberAction: Action = defineAction(
  { schema: membershipIdSchema, guard: { permission: "members.manage", sudo: true } },
  async (input, ctx) => {
    await removeMember(getDb(), { orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, membershipId: input.membershipId });
    revalidatePath("/members");
    return { ok: true, data: undefined, message: "Member removed." };
  },
);
