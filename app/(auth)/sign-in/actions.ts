"use server";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { ActionResult } from "@/lib/action-result";
import { getDb } from "@/lib/server/db/client";
import { getRequestContext } from "@/lib/server/request-context";
import { checkRateLimit, recordRateLimitFailure } from "@/lib/server/rate-limit/rate-limiter";
import { startPasskeySignIn } from "@/lib/server/webauthn/passkey-sign-in";

/** Public: a discoverable-credential challenge for passkey sign-in. Starts and failures are limited per IP. */
export async function startPasskeySignInAction(): Promise<ActionResult<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>> {
  const db = getDb();
  const request = await getRequestContext();
  const ip = request.ip ?? "unknown";
  const failures = await checkRateLimit(db, "passkey:ip", ip);
  const starts = await recordRateLimitFailure(db, "passkey-start:ip", ip);
  if (failures.limited || starts.limited) return { ok: false, code: "rate_limited", message: "Too many attempts. Try again in a few minutes." };
  return { ok: true, data: await startPasskeySignIn(db) };
}
