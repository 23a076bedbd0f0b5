import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { markUserSessionsUntrusted } from "@/lib/server/sessions/mark-untrusted";

/**
 * What every factor removal owes, inside its transaction: recovery codes go
 * when no second factor is left (they would be a factor on their own), and the
 * user's other sessions become untrusted.
 */
export async function afterFactorRemoved(tx: Tx, input: { userId: string; currentSessionId: string | null; organizationId: string | null }) {
  const keysLeft = await tx.securityKey.count({ where: { userId: input.userId } });
  const totpEnabled = (await tx.totpCredential.count({ where: { userId: input.userId, enabledAt: { not: null } } })) > 0;
  const lastFactorRemoved = keysLeft === 0 && !totpEnabled;
  const codesRemoved = lastFactorRemoved ? (await tx.recoveryCode.deleteMany({ where: { userId: input.userId } })).count : 0;
  const sessionsUntrusted = await markUserSessionsUntrusted(tx, {
    userId: input.userId,
    exceptSessionId: input.currentSessionId,
    reason: "A second factor was removed",
    organizationId: input.organizationId,
  });
  return { keysLeft, lastFactorRemoved, codesRemoved, sessionsUntrusted };
}
