"use server";
import { revalidatePath } from "next/cache";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { can } from "@/lib/permissions";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { revokeOtherSessions, revokeSession } from "@/lib/server/sessions/revoke-sessions";
import { emptySchema, sessionIdSchema } from "@/lib/validations/sessions";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;

/** Revoke one of your sessions, or (owners/admins) a session of a member of this organization. */
export const revokeSessionAction: Action = defineAction({ schema: sessionIdSchema, guard: {} }, async (input, ctx) => {
  if (input.sessionId === ctx.session.publicId) {
    return { ok: false, code: "conflict", message: "Use Sign out to end the session you are using." };
  }
  await revokeSession(getDb(), {
    actor: ctx.actor,
    orgId: ctx.org.id,
    actorRole: ctx.role,
    publicId: input.sessionId,
    mayManageMembers: can(ctx.role, "sessions.manage_others"),
  });
  revalidatePath("/sessions");
  return { ok: true, data: undefined, message: "Session revoked." };
});

/** Sign out everywhere else (sudo). */
export const revokeOtherSessionsAction: Action<{ count: number }> = defineAction({ schema: emptySchema, guard: { sudo: true } }, async (_input, ctx) => {
  const count = await revokeOtherSessions(getDb(), { actor: ctx.actor, orgId: ctx.org.id, currentSessionId: ctx.session.id });
  revalidatePath("/sessions");
  return { ok: true, data: { count }, message: count === 0 ? "There were no other sessions." : `Signed out ${count} other session${count === 1 ? "" : "s"}.` };
});
