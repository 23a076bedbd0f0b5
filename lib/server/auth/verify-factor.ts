import "server-only";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Db } from "@/lib/server/db/client";
import { AppError, isAppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import type { RequestContext } from "@/lib/server/request-context";
import { checkRateLimit, recordRateLimitFailure, resetRateLimit } from "@/lib/server/rate-limit/rate-limiter";
import { verifyPassword } from "./password";
import { verifyUserTotp } from "@/lib/server/two-factor/verify-user-totp";
import { consumeRecoveryCode } from "@/lib/server/two-factor/recovery-codes";
import { verifySecurityKeyAssertion } from "@/lib/server/webauthn/authenticate-security-key";

export type FactorKind = "password" | "totp" | "recovery_code" | "security_key";

export type FactorProof =
  | { kind: "password"; password: string }
  | { kind: "totp"; code: string }
  | { kind: "recovery_code"; code: string }
  | { kind: "security_key"; response: AuthenticationResponseJSON };

/** What the verification is for; recorded on failed attempts. */
export type FactorPurpose = "sign_in" | "sudo" | "restore_trust" | "disable_two_factor" | "remove_security_key";

const FAILURE_MESSAGES: Record<FactorKind, string> = {
  password: "That password is not correct.",
  totp: "That code is not correct or was already used. Enter the current code from your authenticator app.",
  recovery_code: "That recovery code is not valid or was already used.",
  security_key: "That security key could not be verified.",
};

interface VerifyFactorInput {
  userId: string;
  email: string;
  sessionId: string;
  organizationId: string | null;
  proof: FactorProof;
  /** The methods this purpose accepts; anything else is refused before it is checked. */
  allowed: readonly FactorKind[];
  purpose: FactorPurpose;
  request: RequestContext;
  /** A key that may not vouch for itself (removing a key needs a code or another key). */
  excludeSecurityKeyId?: string;
}

async function check(db: Db, input: VerifyFactorInput): Promise<boolean> {
  const { proof } = input;
  switch (proof.kind) {
    case "password": {
      const user = await db.user.findUnique({ where: { id: input.userId }, select: { passwordHash: true } });
      return verifyPassword(user?.passwordHash ?? null, proof.password);
    }
    case "totp":
      return verifyUserTotp(db, input.userId, proof.code);
    case "recovery_code":
      return consumeRecoveryCode(db, input.userId, proof.code);
    case "security_key":
      try {
        const { keyId } = await verifySecurityKeyAssertion(db, { userId: input.userId, sessionId: input.sessionId, response: proof.response });
        return keyId !== input.excludeSecurityKeyId;
      } catch (error) {
        if (isAppError(error)) return false;
        throw error;
      }
  }
}

/**
 * Check one proof of identity for a signed-in user: password, TOTP code,
 * recovery code (consumed) or security key assertion. Attempts are limited per
 * account and per client IP in the database (growing lockouts); a locked-out
 * subject is refused before anything is checked. Failures are audited.
 * Returns the factor that succeeded; throws AppError("invalid_factor" | "rate_limited").
 */
export async function verifyFactor(db: Db, input: VerifyFactorInput): Promise<FactorKind> {
  const { proof } = input;
  if (!input.allowed.includes(proof.kind)) {
    throw new AppError("invalid_factor", "That verification method cannot be used here.");
  }
  const ip = input.request.ip ?? "unknown";
  for (const [policy, subject] of [["factor:account", input.userId], ["factor:ip", ip]] as const) {
    const state = await checkRateLimit(db, policy, subject);
    if (state.limited) {
      throw new AppError("rate_limited", `Too many failed attempts. Try again in ${Math.ceil(state.retryAfterSeconds / 60)} minutes.`, {
        retryAfterSeconds: state.retryAfterSeconds,
      });
    }
  }

  if (await check(db, input)) {
    await resetRateLimit(db, "factor:account", input.userId);
    return proof.kind;
  }

  await recordRateLimitFailure(db, "factor:account", input.userId);
  await recordRateLimitFailure(db, "factor:ip", ip);
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: input.organizationId,
      actor: { type: "user", id: input.userId, label: input.email },
      action: "user.verification_failed",
      resource: { type: "session", id: input.sessionId },
      outcome: "failure",
      context: { ip: input.request.ip, userAgent: input.request.userAgent, sessionId: input.sessionId },
      metadata: { factor: proof.kind, purpose: input.purpose },
    }),
  );
  throw new AppError("invalid_factor", FAILURE_MESSAGES[proof.kind], { fieldErrors: { [proof.kind === "password" ? "password" : "code"]: [FAILURE_MESSAGES[proof.kind]] } });
}

/** The signed-in side of a verification: who is proving it, from which session and organization. */
export interface VerifyingSession {
  user: { id: string; email: string };
  session: { id: string };
  org: { id: string } | null;
}

/** verifyFactor for the current session's user; the form of every console and sign-in check. */
export function verifyFactorForSession(
  db: Db,
  ctx: VerifyingSession,
  request: RequestContext,
  proof: FactorProof,
  options: { allowed: readonly FactorKind[]; purpose: FactorPurpose; excludeSecurityKeyId?: string },
): Promise<FactorKind> {
  return verifyFactor(db, {
    userId: ctx.user.id,
    email: ctx.user.email,
    sessionId: ctx.session.id,
    organizationId: ctx.org?.id ?? null,
    proof,
    request,
    ...options,
  });
}
