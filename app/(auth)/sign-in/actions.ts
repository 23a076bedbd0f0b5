"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { ActionResult } from "@/lib/action-result";
import { getDb } from "@/lib/server/db/client";
import { getRequestContext } from "@/lib/server/request-context";
import { reserveAttempt } from "@/lib/server/rate-limit/attempts";
import { startPasskeySignIn } from "@/lib/server/webauthn/passkey-sign-in";

/** Public: a discoverable-credential challenge for passkey sign-in. Every start counts against the network (never handed back). */
export async function startPasskeySignInAction(): Promise<ActionResult<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>> {
  const db = getDb();
  const request = await getRequestContext();
  const start = await reserveAttempt(db, "passkey_start", { ip: request.ip });
  if (!start.ok) return { ok: false, code: "rate_limited", message: "Too many attempts. Try again in a few minutes." };
  return { ok: true, data: await startPasskeySignIn(db) };
}
