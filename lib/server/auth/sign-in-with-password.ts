import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { verifyPassword } from "./password";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { reserveAttempt } from "@/lib/server/rate-limit/attempts";
import { startSignedInSession } from "@/lib/server/sessions/start-signed-in-session";
import type { RequestContext } from "@/lib/server/request-context";

export const GENERIC_SIGN_IN_ERROR = "The email or password is not correct.";

interface SignInInput {
  email: string;
  password: string;
  request: RequestContext;
}

function rateLimited(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    "rate_limited",
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    { retryAfterSeconds: seconds },
  );
}

/**
 * Email + password sign-in. A wrong password and an unknown email produce the
 * same error and take the same time. Each attempt is reserved in the database
 * before the password is checked (lib/server/rate-limit: per account and
 * network, per account, per network, globally, or per known device), so a
 * parallel burst is checked at most as often as the limits allow, on every
 * instance. Success creates the Session row (pending_second_factor when the
 * user has a second factor) and its audit event in one transaction and
 * returns the row id.
 */
export async function signInWithPassword(db: Db, input: SignInInput): Promise<{ sessionId: string }> {
  const email = input.email.trim().toLowerCase();
  const user = await db.user.findUnique({
    where: { email },
    include: {
      memberships: { orderBy: { createdAt: "asc" }, take: 1 },
      totpCredential: { select: { enabledAt: true } },
      _count: { select: { securityKeys: true } },
    },
  });
  const orgId = user?.memberships[0]?.organizationId ?? null;
  const audit = (outcome: "failure" | "denied", reason: string) =>
    db.$transaction((tx) =>
      recordAuditEvent(tx, {
        organizationId: orgId,
        actor: { type: "user", id: user?.id ?? null, label: email },
        action: "user.sign_in",
        resource: { type: "user", id: user?.id ?? null, label: email },
        outcome,
        context: { ip: input.request.ip, userAgent: input.request.userAgent },
        metadata: { reason },
      }),
    );

  const attempt = await reserveAttempt(db, "sign_in", {
    account: email,
    userId: user?.id ?? null,
    ip: input.request.ip,
    deviceToken: input.request.deviceToken,
  });
  if (!attempt.ok) {
    await audit("denied", "rate_limited");
    throw rateLimited(attempt.retryAfterSeconds);
  }

  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) {
    const locked = await attempt.reservation.failed();
    await audit("failure", user ? "wrong_password" : "unknown_email");
    if (locked) throw rateLimited(locked.retryAfterSeconds);
    throw new AppError("unauthenticated", GENERIC_SIGN_IN_ERROR);
  }

  await attempt.reservation.succeeded();
  // With a second factor the session starts pending: only the challenge page is reachable.
  const needsSecondFactor = Boolean(user.totpCredential?.enabledAt) || user._count.securityKeys > 0;
  return startSignedInSession(db, {
    user,
    orgId,
    request: input.request,
    trustState: needsSecondFactor ? "pending_second_factor" : "trusted",
    trustReason: needsSecondFactor ? "Password accepted; second factor required" : "Signed in with password",
    trustFactor: "password",
    metadata: { method: "password", second_factor_required: needsSecondFactor },
  });
}
