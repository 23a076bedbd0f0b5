"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { getDb } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { getRequestContext } from "@/lib/server/request-context";
import { requirePendingSession } from "@/lib/server/auth/pending-session";
import { verifyFactorForSession } from "@/lib/server/auth/verify-factor";
import { toFactorProof } from "@/lib/server/auth/factor-proof";
import { completeSecondFactor } from "@/lib/server/sessions/change-trust";
import { startSecurityKeyAuthentication } from "@/lib/server/webauthn/authenticate-security-key";
import { MALFORMED_ACTION_INPUT, fieldErrorsOf, isFormData } from "@/lib/server/actions/define-action";
import { factorProofSchema } from "@/lib/validations/factor";

/** Finish sign-in with a TOTP code, a recovery code or a security key. Only a pending session may call it. */
export async function completeSignInAction(_prev: ActionState, formData: FormData): Promise<ActionResult> {
  const ctx = await requirePendingSession();
  if (!isFormData(formData)) return MALFORMED_ACTION_INPUT;
  const parsed = factorProofSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, code: "validation_failed", message: "Check the highlighted field.", fieldErrors: fieldErrorsOf(parsed.error) };
  const db = getDb();
  const request = await getRequestContext();
  try {
    const factor = await verifyFactorForSession(db, ctx, request, toFactorProof(parsed.data), {
      allowed: ["totp", "recovery_code", "security_key"],
      purpose: "sign_in",
    });
    await completeSecondFactor(db, {
      sessionId: ctx.session.id,
      factor,
      actor: { userId: ctx.user.id, email: ctx.user.email, sessionId: ctx.session.id, sessionPublicId: ctx.session.publicId, request },
      organizationId: ctx.org?.id ?? null,
    });
    return { ok: true, data: undefined };
  } catch (error) {
    if (isAppError(error)) return { ok: false, code: error.code, message: error.message, fieldErrors: error.details?.fieldErrors };
    throw error;
  }
}

/** WebAuthn options for the sign-in challenge (bound to this pending session). */
export async function challengeKeyOptionsAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  const ctx = await requirePendingSession();
  try {
    return { ok: true, data: await startSecurityKeyAuthentication(getDb(), { userId: ctx.user.id, sessionId: ctx.session.id }) };
  } catch (error) {
    if (isAppError(error)) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
