"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { ActionResult } from "@/lib/action-result";
import { getDb } from "@/lib/server/db/client";
import { getRequestContext } from "@/lib/server/request-context";
import { checkRateLimit } from "@/lib/server/rate-limit/rate-limiter";
import { startPasskeySignIn } from "@/lib/server/webauthn/passkey-sign-in";

/** Public: a discoverable-credential challenge for passkey sign-in (refused while the IP is locked out). */
export async function startPasskeySignInAction(): Promise<ActionResult<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>> {
  const db = getDb();
  const request = await getRequestContext();
  const limit = await checkRateLimit(db, "passkey:ip", request.ip ?? "unknown");
  if (limit.limited) return { ok: false, code: "rate_limited", message: "Too many failed attempts. Try again in a few minutes." };
  return { ok: true, data: await startPasskeySignIn(db) };
}
