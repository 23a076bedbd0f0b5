import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { generateRecoveryCodes, RECOVERY_CODE_COUNT } from "./recovery-codes";

/**
 * Replace the user's recovery codes (the old set stops working at once) and
 * return the new ones, shown once. Refused without a second factor: recovery
 * codes stand in for one, so on their own they would be a bypass, not a backup.
 * The caller has checked sudo.
 */
export async function regenerateRecoveryCodes(
  db: Db,
  input: { userId: string; actor: UserActor; organizationId: string | null },
): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({
      where: { id: input.userId },
      select: { email: true, totpCredential: { select: { enabledAt: true } }, _count: { select: { securityKeys: true } } },
    });
    if (!user.totpCredential?.enabledAt && user._count.securityKeys === 0) {
      throw new AppError("conflict", "Turn on an authenticator app or add a security key before creating recovery codes.");
    }
    const codes = await generateRecoveryCodes(tx, input.userId);
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "two_factor.recovery_codes_regenerated",
      resource: { type: "user", id: input.userId, label: user.email },
      outcome: "success",
      metadata: { count: RECOVERY_CODE_COUNT },
    });
    return codes;
  });
}
