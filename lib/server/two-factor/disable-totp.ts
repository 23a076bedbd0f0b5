import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { afterFactorRemoved } from "./after-factor-removed";

/**
 * Remove the user's authenticator app. The caller has already checked sudo
 * and a fresh code or key. Invariants, all in one transaction: recovery codes
 * go too when no security key remains (they must not outlive every second
 * factor); every other trusted session of the user becomes untrusted, since
 * one of them may be why the factor is being removed; one audit event.
 */
export async function disableTotp(
  db: Db,
  input: { userId: string; actor: UserActor; organizationId: string | null; currentSessionId: string | null },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const credential = await tx.totpCredential.findUnique({
      where: { userId: input.userId },
      select: { id: true, enabledAt: true, user: { select: { email: true } } },
    });
    if (!credential?.enabledAt) throw new AppError("conflict", "Two-factor authentication with an authenticator app is not on.");

    await tx.totpCredential.delete({ where: { id: credential.id } });
    const { keysLeft, codesRemoved, sessionsUntrusted } = await afterFactorRemoved(tx, input);
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "two_factor.totp_disabled",
      resource: { type: "user", id: input.userId, label: credential.user.email },
      outcome: "success",
      metadata: { codes_removed: codesRemoved, sessions_untrusted: sessionsUntrusted, has_second_factor: keysLeft > 0 },
    });
  });
}
