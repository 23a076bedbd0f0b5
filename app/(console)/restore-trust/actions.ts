"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { verifyFactorForSession } from "@/lib/server/auth/verify-factor";
import { toFactorProof } from "@/lib/server/auth/factor-proof";
import { restoreTrust } from "@/lib/server/sessions/change-trust";
import { startSecurityKeyAuthentication } from "@/lib/server/webauthn/authenticate-security-key";
import { trustMethods } from "@/lib/factor-methods";
import { factorProofSchema } from "@/lib/validations/factor";

/** Restore trust in this session in place, without signing out. */
export const restoreTrustAction: (prev: ActionState, formData: FormData) => Promise<ActionResult> = defineAction(
  { schema: factorProofSchema, guard: { allowUntrusted: true, allowUnenrolled: true } },
  async (input, ctx) => {
    if (ctx.session.trustState !== "untrusted") throw new AppError("conflict", "This session is already trusted.");
    const db = getDb();
    const factor = await verifyFactorForSession(db, ctx, ctx.actor.request, toFactorProof(input), { allowed: trustMethods(ctx.user), purpose: "restore_trust" });
    await restoreTrust(db, { sessionId: ctx.session.id, factor, actor: ctx.actor, organizationId: ctx.org.id });
    return { ok: true, data: undefined, message: "Trust restored." };
  },
);

export async function restoreTrustKeyOptionsAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  const run = defineAction({ schema: z.object({}), guard: { allowUntrusted: true, allowUnenrolled: true } }, async (_input, ctx) => ({
    ok: true,
    data: await startSecurityKeyAuthentication(getDb(), { userId: ctx.user.id, sessionId: ctx.session.id }),
  }));
  return run(null, new FormData());
}
