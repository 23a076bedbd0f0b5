import "server-only";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Db } from "@/lib/server/db/client";
import { AppError, isAppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { reserveAttempt } from "@/lib/server/rate-limit/attempts";
import { startSignedInSession } from "@/lib/server/sessions/start-signed-in-session";
import { verifyPasskeySignIn } from "@/lib/server/webauthn/passkey-sign-in";
import type { RequestContext } from "@/lib/server/request-context";

/**
 * First-factor sign-in with a discoverable security key (passkey). The key must
 * prove possession and user verification (PIN or biometric), which together
 * replace password and second factor, so the session starts trusted.
 * Attempts are reserved per source network (and globally) before the
 * signature is checked; failures stay counted.
 */
export async function signInWithPasskey(db: Db, input: { challengeId: string; response: AuthenticationResponseJSON; request: RequestContext }) {
  const attempt = await reserveAttempt(db, "passkey_sign_in", { ip: input.request.ip });
  if (!attempt.ok) throw new AppError("rate_limited", "Too many failed attempts. Try again in a few minutes.", { retryAfterSeconds: attempt.retryAfterSeconds });

  let verified: { userId: string; keyId: string; keyName: string };
  try {
    verified = await verifyPasskeySignIn(db, { challengeId: input.challengeId, response: input.response });
  } catch (error) {
    if (!isAppError(error)) throw error;
    await attempt.reservation.failed();
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: null,
        actor: { type: "user", label: "unknown security key" },
        action: "user.sign_in",
        outcome: "failure",
        context: { ip: input.request.ip, userAgent: input.request.userAgent },
        metadata: { method: "passkey", reason: "verification_failed" },
      }),
    );
    throw new AppError("unauthenticated", "That security key could not be verified.");
  }

  await attempt.reservation.succeeded();
  const user = await db.user.findUniqueOrThrow({
    where: { id: verified.userId },
    include: { memberships: { orderBy: { createdAt: "asc" }, take: 1 } },
  });
  return startSignedInSession(db, {
    user,
    orgId: user.memberships[0]?.organizationId ?? null,
    request: input.request,
    trustState: "trusted",
    trustReason: `Signed in with security key "${verified.keyName}"`,
    trustFactor: "security_key",
    metadata: { method: "passkey", security_key: verified.keyName },
  });
}
