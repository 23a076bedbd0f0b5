import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { verifyPassword } from "./password";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { checkRateLimit, recordRateLimitFailure, resetRateLimit } from "@/lib/server/rate-limit/rate-limiter";
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
 * same error and take the same time. Failures count against the account and
 * the client IP (in the database, so limits survive restarts); a locked-out
 * subject is refused before the password is even checked. Success creates the
 * Session row (pending_second_factor when the user has a second factor) and its
 * audit event in one transaction and returns the row id.
 */
export async function signInWithPassword(db: Db, input: SignInInput): Promise<{ sessionId: string }> {
  const email = input.email.trim().toLowerCase();
  const ip = input.request.ip ?? "unknown";
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

  for (const [policy, subject] of [["sign-in:account", email], ["sign-in:ip", ip]] as const) {
    const state = await checkRateLimit(db, policy, subject);
    if (state.limited) {
      await audit("denied", "rate_limited");
      throw rateLimited(state.retryAfterSeconds);
    }
  }

  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) {
    const account = await recordRateLimitFailure(db, "sign-in:account", email);
    const byIp = await recordRateLimitFailure(db, "sign-in:ip", ip);
    await audit("failure", user ? "wrong_password" : "unknown_email");
    const limited = account.limited ? account : byIp.limited ? byIp : null;
    if (limited) throw rateLimited(limited.retryAfterSeconds);
    throw new AppError("unauthenticated", GENERIC_SIGN_IN_ERROR);
  }

  await resetRateLimit(db, "sign-in:account", email);
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
