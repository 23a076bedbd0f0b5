"use server";
import { echoableValues, type ActionResult, type ActionState } from "@/lib/action-result";
import { getDb } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { getRequestContext } from "@/lib/server/request-context";
import { reserveAttempt } from "@/lib/server/rate-limit/attempts";
import { setupFirstOwner } from "@/lib/server/setup/setup-first-owner";
import { MALFORMED_ACTION_INPUT, fieldErrorsOf, isFormData } from "@/lib/server/actions/define-action";
import { setupSchema } from "@/lib/validations/auth";

/** First-run setup: public by nature, so rate-limited per IP and refused once any user exists. */
export async function setupAction(_prev: ActionState<{ email: string }>, formData: FormData): Promise<ActionResult<{ email: string }>> {
  if (!isFormData(formData)) return MALFORMED_ACTION_INPUT;
  const db = getDb();
  const request = await getRequestContext();
  const attempt = await reserveAttempt(db, "setup", { ip: request.ip });
  if (!attempt.ok) return { ok: false, code: "rate_limited", message: "Too many attempts. Wait a few minutes and try again." };

  const parsed = setupSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    await attempt.reservation.failed();
    return { ok: false, code: "validation_failed", message: "Check the highlighted fields.", fieldErrors: fieldErrorsOf(parsed.error), values: echoableValues(formData) };
  }
  try {
    await setupFirstOwner(db, { ...parsed.data, request });
    await attempt.reservation.succeeded();
    return { ok: true, data: { email: parsed.data.email } };
  } catch (error) {
    await attempt.reservation.failed();
    if (isAppError(error)) return { ok: false, code: error.code, message: error.message, values: echoableValues(formData) };
    throw error;
  }
}
