"use server";
import { echoableValues, type ActionResult, type ActionState } from "@/lib/action-result";
import { getDb } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { getRequestContext } from "@/lib/server/request-context";
import { reserveAttempt } from "@/lib/server/rate-limit/attempts";
import { acceptInvitation } from "@/lib/server/invitations/accept-invitation";
import { switchOrganization } from "@/lib/server/orgs/switch-organization";
import { getCurrentSession } from "@/lib/server/auth/current-session";
import { MALFORMED_ACTION_INPUT, fieldErrorsOf, isFormData } from "@/lib/server/actions/define-action";
import { acceptInvitationExistingUserSchema, acceptInvitationNewUserSchema } from "@/lib/validations/auth";

type Accepted = { email: string };

async function guarded(formData: FormData, run: (request: Awaited<ReturnType<typeof getRequestContext>>) => Promise<ActionResult<Accepted>>): Promise<ActionResult<Accepted>> {
  if (!isFormData(formData)) return MALFORMED_ACTION_INPUT;
  const db = getDb();
  const request = await getRequestContext();
  const attempt = await reserveAttempt(db, "invitation", { ip: request.ip });
  if (!attempt.ok) return { ok: false, code: "rate_limited", message: "Too many attempts. Wait a few minutes and try again." };
  try {
    const result = await run(request);
    await attempt.reservation.succeeded();
    return result;
  } catch (error) {
    // Only a wrong or used link counts as a failure; anything else hands the attempt back.
    if (isAppError(error) && error.code === "invitation_invalid") await attempt.reservation.failed();
    else await attempt.reservation.succeeded();
    if (!isAppError(error)) throw error;
    return { ok: false, code: error.code, message: error.message, values: echoableValues(formData) };
  }
}

/** Accept an invitation by creating a new account (public: the link is the credential). */
export async function acceptAsNewUserAction(_prev: ActionState<Accepted>, formData: FormData): Promise<ActionResult<Accepted>> {
  return guarded(formData, async (request) => {
    const parsed = acceptInvitationNewUserSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) {
      return { ok: false, code: "validation_failed", message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error), values: echoableValues(formData) };
    }
    const accepted = await acceptInvitation(getDb(), { kind: "new_user", ...parsed.data, request });
    return { ok: true, data: { email: accepted.email } };
  });
}

/** Accept an invitation as the signed-in user it was sent to, and switch to that organization. */
export async function acceptSignedInAction(_prev: ActionState<Accepted>, formData: FormData): Promise<ActionResult<Accepted>> {
  return guarded(formData, async (request) => {
    const current = await getCurrentSession();
    if (!current) return { ok: false, code: "unauthenticated", message: "Your session ended. Sign in again." };
    if (current.session.trustState !== "trusted") {
      return { ok: false, code: "untrusted", message: "Finish signing in (or restore trust in this session) before accepting the invitation." };
    }
    const parsed = acceptInvitationExistingUserSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return { ok: false, code: "validation_failed", message: "This invitation link is malformed." };
    const db = getDb();
    const accepted = await acceptInvitation(db, {
      kind: "signed_in",
      token: parsed.data.token,
      userId: current.user.id,
      sessionPublicId: current.session.publicId,
      request,
    });
    await switchOrganization(db, { sessionId: current.session.id, userId: current.user.id, orgId: accepted.orgId });
    return { ok: true, data: { email: accepted.email } };
  });
}
