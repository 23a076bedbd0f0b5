"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { verifyFactorForSession } from "@/lib/server/auth/verify-factor";
import { toFactorProof } from "@/lib/server/auth/factor-proof";
import { exitSudo, openSudo } from "@/lib/server/sudo/open-sudo";
import { startSecurityKeyAuthentication } from "@/lib/server/webauthn/authenticate-security-key";
import { factorProofSchema } from "@/lib/validations/factor";
import { sudoMethods } from "@/lib/factor-methods";

/** Open sudo mode on this trusted session: with a second factor when the user has one, else the password. */
export const openSudoAction: (prev: ActionState<{ expiresAt: string }>, formData: FormData) => Promise<ActionResult<{ expiresAt: string }>> = defineAction(
  { schema: factorProofSchema, guard: { allowUnenrolled: true } },
  async (input, ctx) => {
    const db = getDb();
    const factor = await verifyFactorForSession(db, ctx, ctx.actor.request, toFactorProof(input), { allowed: sudoMethods(ctx.user), purpose: "sudo" });
    const grant = await openSudo(db, { sessionId: ctx.session.id, trustState: ctx.session.trustState, factor, actor: ctx.actor, organizationId: ctx.org.id });
    return { ok: true, data: { expiresAt: grant.expiresAt.toISOString() } };
  },
);

/** WebAuthn request options for opening sudo with a security key. */
export async function sudoKeyOptionsAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  const run = defineAction({ schema: z.object({}), guard: { allowUnenrolled: true } }, async (_input, ctx) => ({
    ok: true,
    data: await startSecurityKeyAuthentication(getDb(), { userId: ctx.user.id, sessionId: ctx.session.id }),
  }));
  return run(null, new FormData());
}

/** Leave sudo mode early. */
export const exitSudoAction: (prev: ActionState, formData: FormData) => Promise<ActionResult> = defineAction(
  { schema: z.object({}), guard: { allowUntrusted: true, allowUnenrolled: true } },
  async (_input, ctx) => {
    await exitSudo(getDb(), { sessionId: ctx.session.id, actor: ctx.actor, organizationId: ctx.org.id });
    return { ok: true, data: undefined };
  },
);
