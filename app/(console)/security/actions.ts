"use server";
import { revalidatePath } from "next/cache";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { verifyFactorForSession } from "@/lib/server/auth/verify-factor";
import { toFactorProof } from "@/lib/server/auth/factor-proof";
import { beginTotpSetup } from "@/lib/server/two-factor/begin-totp-setup";
import { confirmTotpSetup } from "@/lib/server/two-factor/confirm-totp-setup";
import { disableTotp } from "@/lib/server/two-factor/disable-totp";
import { regenerateRecoveryCodes } from "@/lib/server/two-factor/regenerate-recovery-codes";
import { startSecurityKeyRegistration, finishSecurityKeyRegistration } from "@/lib/server/webauthn/register-security-key";
import { startSecurityKeyAuthentication } from "@/lib/server/webauthn/authenticate-security-key";
import { removeSecurityKey, renameSecurityKey } from "@/lib/server/webauthn/manage-security-keys";
import { changePassword } from "@/lib/server/users/change-password";
import { setRequireTwoFactor } from "@/lib/server/orgs/set-require-two-factor";
import {
  changePasswordSchema,
  confirmTotpSchema,
  disableTotpSchema,
  finishKeyRegistrationSchema,
  removeKeySchema,
  renameKeySchema,
  requireTwoFactorSchema,
  startKeyRegistrationSchema,
} from "@/lib/validations/security";

type Action<T = undefined> = (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;
const empty = z.object({});

function done<T>(data: T, message?: string): ActionResult<T> {
  revalidatePath("/security");
  return { ok: true, data, message };
}

/** Start TOTP enrolment: a fresh secret as QR code and text (sudo). */
export const beginTotpSetupAction: Action<{ secret: string; qrDataUrl: string }> = defineAction(
  { schema: empty, guard: { sudo: true, allowUnenrolled: true } },
  async (_input, ctx) => {
    const setup = await beginTotpSetup(getDb(), { userId: ctx.user.id, email: ctx.user.email });
    return { ok: true, data: { secret: setup.secret, qrDataUrl: setup.qrDataUrl } };
  },
);

/** Enable TOTP with the first correct code; returns the first recovery codes once (sudo). */
export const confirmTotpSetupAction: Action<{ recoveryCodes: string[] | null }> = defineAction(
  { schema: confirmTotpSchema, guard: { sudo: true, allowUnenrolled: true } },
  async (input, ctx) => done(await confirmTotpSetup(getDb(), { userId: ctx.user.id, code: input.code, actor: ctx.actor, organizationId: ctx.org.id })),
);

/** Turn TOTP off: sudo plus a fresh code or security key. */
export const disableTotpAction: Action = defineAction({ schema: disableTotpSchema, guard: { sudo: true } }, async (input, ctx) => {
  const db = getDb();
  await verifyFactorForSession(db, ctx, ctx.actor.request, toFactorProof(input), { allowed: ["totp", "security_key"], purpose: "disable_two_factor" });
  if (ctx.org.require2fa && ctx.user.securityKeyCount === 0) {
    throw new AppError("conflict", `${ctx.org.name} requires two-factor authentication. Add a security key before turning off the authenticator app.`);
  }
  await disableTotp(db, { userId: ctx.user.id, actor: ctx.actor, organizationId: ctx.org.id, currentSessionId: ctx.session.id });
  return done(undefined, "Authenticator app turned off.");
});

/** Replace the recovery codes; the old set stops working (sudo). */
export const regenerateRecoveryCodesAction: Action<{ recoveryCodes: string[] }> = defineAction(
  { schema: empty, guard: { sudo: true } },
  async (_input, ctx) => done({ recoveryCodes: await regenerateRecoveryCodes(getDb(), { userId: ctx.user.id, actor: ctx.actor, organizationId: ctx.org.id }) }),
);

/** WebAuthn creation options for a new security key (sudo). */
export const startKeyRegistrationAction: Action<PublicKeyCredentialCreationOptionsJSON> = defineAction(
  { schema: startKeyRegistrationSchema, guard: { sudo: true, allowUnenrolled: true } },
  async (_input, ctx) => ({
    ok: true,
    data: await startSecurityKeyRegistration(getDb(), { userId: ctx.user.id, email: ctx.user.email, displayName: ctx.user.name, sessionId: ctx.session.id }),
  }),
);

/** Store the new security key after the browser ceremony (sudo). */
export const finishKeyRegistrationAction: Action<{ id: string; name: string; recoveryCodes: string[] | null }> = defineAction(
  { schema: finishKeyRegistrationSchema, guard: { sudo: true, allowUnenrolled: true } },
  async (input, ctx) => {
    const db = getDb();
    const key = await finishSecurityKeyRegistration(db, {
      userId: ctx.user.id,
      sessionId: ctx.session.id,
      name: input.name,
      // Shape checked by the schema; the attestation itself is verified by @simplewebauthn/server.
      response: input.response,
      actor: ctx.actor,
      organizationId: ctx.org.id,
    });
    // A first second factor comes with recovery codes, shown once.
    const recoveryCodes = ctx.user.hasSecondFactor ? null : await regenerateRecoveryCodes(db, { userId: ctx.user.id, actor: ctx.actor, organizationId: ctx.org.id });
    return done({ ...key, recoveryCodes }, `Security key "${key.name}" added.`);
  },
);

/** Rename a security key (sudo: security keys are sensitive, DESIGN.md "Sudo mode"). */
export const renameKeyAction: Action = defineAction({ schema: renameKeySchema, guard: { sudo: true } }, async (input, ctx) => {
  await renameSecurityKey(getDb(), { userId: ctx.user.id, keyId: input.keyId, name: input.name, actor: ctx.actor, organizationId: ctx.org.id });
  return done(undefined, "Renamed.");
});

/** Remove a security key: sudo plus a fresh code or key. */
export const removeKeyAction: Action = defineAction({ schema: removeKeySchema, guard: { sudo: true } }, async (input, ctx) => {
  const db = getDb();
  await verifyFactorForSession(db, ctx, ctx.actor.request, toFactorProof(input), {
    allowed: ["totp", "security_key"],
    purpose: "remove_security_key",
    excludeSecurityKeyId: input.keyId,
  });
  if (ctx.org.require2fa && !ctx.user.totpEnabled && ctx.user.securityKeyCount <= 1) {
    throw new AppError("conflict", `${ctx.org.name} requires two-factor authentication. Add another factor before removing your last one.`);
  }
  await removeSecurityKey(db, { userId: ctx.user.id, keyId: input.keyId, actor: ctx.actor, organizationId: ctx.org.id, currentSessionId: ctx.session.id });
  return done(undefined, "Security key removed.");
});

/** Request options to verify with a security key (for disabling TOTP or removing a key). */
export async function verificationKeyOptionsAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  const run = defineAction({ schema: empty, guard: {} }, async (_input, ctx) => ({
    ok: true,
    data: await startSecurityKeyAuthentication(getDb(), { userId: ctx.user.id, sessionId: ctx.session.id }),
  }));
  return run(null, new FormData());
}

/** Change the password; other sessions become untrusted, or end with "sign out everywhere else" (sudo). */
export const changePasswordAction: Action = defineAction({ schema: changePasswordSchema, guard: { sudo: true, allowUnenrolled: true } }, async (input, ctx) => {
  const result = await changePassword(getDb(), { actor: ctx.actor, newPassword: input.newPassword, organizationId: ctx.org.id, signOutOthers: input.signOutOthers });
  return done(
    undefined,
    input.signOutOthers
      ? `Password changed. ${result.sessionsEnded === 0 ? "There were no other sessions." : `Signed out ${result.sessionsEnded} other session${result.sessionsEnded === 1 ? "" : "s"}.`}`
      : "Password changed. Your other sessions must confirm it's them again.",
  );
});

/** Owners: require every member to use 2FA (sudo). */
export const setRequireTwoFactorAction: Action = defineAction(
  { schema: requireTwoFactorSchema, guard: { permission: "org.security_policy", sudo: true } },
  async (input, ctx) => {
    if (input.required && !ctx.user.hasSecondFactor) {
      throw new AppError("conflict", "Turn on two-factor authentication for your own account first.");
    }
    await setRequireTwoFactor(getDb(), { orgId: ctx.org.id, required: input.required, actor: ctx.actor });
    return done(undefined, input.required ? "Two-factor authentication is now required for everyone." : "Two-factor authentication is no longer required.");
  },
);
