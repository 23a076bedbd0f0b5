import "server-only";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Db } from "@/lib/server/db/client";
import { AppError, isAppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import type { RequestContext } from "@/lib/server/request-context";
import { reserveAttempt } from "@/lib/server/rate-limit/attempts";
import type { RateLimitPurpose } from "@/lib/server/rate-limit/policies";
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

/** Each purpose counts in its own rate-limit buckets: failing sudo does not lock the sign-in challenge. */
const RATE_LIMIT_PURPOSE: Record<FactorPurpose, RateLimitPurpose> = {
  sign_in: "second_factor",
  sudo: "sudo",
  restore_trust: "restore_trust",
  disable_two_factor: "factor_removal",
  remove_security_key: "factor_removal",
};

const FAILURE_MESSAGES: Record<FactorKind, string> = {
  password: "That password is not correct.",
  totp: "That code is not correct or was already used. Enter the current code from your authenticator app.",
  recovery_code: "That recovery code is not valid or was already used.",
  security_key: "That security key could not be verified.",
};

interface VerifyFactorInput {
  userId: string;
  email: string;
  /** The session's secret id (binds WebAuthn challenges) and its public handle (audited). */
  sessionId: string;
  sessionPublicId: string;
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
 * recovery code (consumed) or security key assertion. The attempt is reserved
 * in the purpose's rate-limit buckets before anything is checked (per account
 * and network or known device, per account, per network), so parallel guesses
 * cannot exceed the limits; failures are audited.
 * Returns the factor that succeeded; throws AppError("invalid_factor" | "rate_limited").
 */
export async function verifyFactor(db: Db, input: VerifyFactorInput): Promise<FactorKind> {
  const { proof } = input;
  if (!input.allowed.includes(proof.kind)) {
    throw new AppError("invalid_factor", "That verification method cannot be used here.");
  }
  const attempt = await reserveAttempt(db, RATE_LIMIT_PURPOSE[input.purpose], {
    account: input.userId,
    userId: input.userId,
    ip: input.request.ip,
    deviceToken: input.request.deviceToken,
  });
  if (!attempt.ok) throw tooManyAttempts(attempt.retryAfterSeconds);
  if (await check(db, input)) {
    await attempt.reservation.succeeded();
    return proof.kind;
  }
  const locked = await attempt.reservation.failed();
  await db.$transaction((tx) =>
    recordAuditEvent(tx, {
      organizationId: input.organizationId,
      actor: { type: "user", id: input.userId, label: input.email },
      action: "user.verification_failed",
      resource: { type: "session", id: input.sessionPublicId },
      outcome: "failure",
      context: { ip: input.request.ip, userAgent: input.request.userAgent, sessionId: input.sessionPublicId },
      metadata: { factor: proof.kind, purpose: input.purpose },
    }),
  );
  if (locked) throw tooManyAttempts(locked.retryAfterSeconds);
  throw new AppError("invalid_factor", FAILURE_MESSAGES[proof.kind], { fieldErrors: { [proof.kind === "password" ? "password" : "code"]: [FAILURE_MESSAGES[proof.kind]] } });
}

function tooManyAttempts(seconds: number): AppError {
  const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
  return new AppError("rate_limited", `Too many failed attempts. Try again in ${wait}.`, { retryAfterSeconds: seconds });
}

/** The signed-in side of a verification: who is proving it, from which session and organization. */
export interface VerifyingSession {
  user: { id: string; email: string };
  session: { id: string; publicId: string };
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
    sessionPublicId: ctx.session.publicId,
    organizationId: ctx.org?.id ?? null,
    proof,
    request,
    ...options,
  });
}
