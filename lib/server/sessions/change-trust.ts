import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { describeUserAgent } from "@/lib/user-agent";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import type { FactorKind } from "@/lib/server/auth/verify-factor";

const FACTOR_LABELS: Record<FactorKind, string> = {
  password: "password",
  totp: "authenticator code",
  recovery_code: "recovery code",
  security_key: "security key",
};

/**
 * Move a session from one trust state to `trusted` after `factor` was verified,
 * with a conditional update so two racing completions record one transition.
 * Restoring trust also makes the current network and browser the new baseline.
 */
async function trustSession(
  db: Db,
  input: { sessionId: string; from: "pending_second_factor" | "untrusted"; factor: FactorKind; actor: UserActor; organizationId: string | null },
) {
  const now = new Date();
  const label = FACTOR_LABELS[input.factor];
  const reason = input.from === "pending_second_factor" ? `Signed in with password and ${label}` : `Trust restored with ${label}`;
  await db.$transaction(async (tx) => {
    const baseline =
      input.from === "untrusted"
        ? { ip: input.actor.request.ip, userAgent: input.actor.request.userAgent, deviceLabel: describeUserAgent(input.actor.request.userAgent).label }
        : {};
    const changed = await tx.session.updateMany({
      where: { id: input.sessionId, userId: input.actor.userId, trustState: input.from },
      data: { trustState: "trusted", trustReason: reason, trustChangedAt: now, trustFactor: input.factor, ...baseline },
    });
    if (changed.count !== 1) throw new AppError("conflict", "This session's trust already changed. Reload the page.");
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: input.from === "pending_second_factor" ? "session.second_factor_verified" : "session.trust_restored",
      resource: { type: "session", id: input.actor.sessionPublicId },
      outcome: "success",
      metadata: { factor: input.factor },
    });
  });
}

export function completeSecondFactor(db: Db, input: { sessionId: string; factor: FactorKind; actor: UserActor; organizationId: string | null }) {
  return trustSession(db, { ...input, from: "pending_second_factor" });
}

export function restoreTrust(db: Db, input: { sessionId: string; factor: FactorKind; actor: UserActor; organizationId: string | null }) {
  return trustSession(db, { ...input, from: "untrusted" });
}
