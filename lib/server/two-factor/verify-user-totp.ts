import "server-only";
import type { Db } from "@/lib/server/db/client";
import { checkTotp } from "@/lib/totp";
import { unsealTotpSecret } from "./totp-secret-box";

/**
 * Check a code against the user's enabled authenticator app and spend its
 * time step. Invariants: false for a pending (unconfirmed) credential; a step
 * is accepted at most once — after the code checks out, the step is claimed by
 * a conditional update on `lastUsedStep` (null or older), so of two requests
 * racing with the same code exactly one gets true. Callers rate-limit and audit.
 */
export async function verifyUserTotp(db: Db, userId: string, code: string): Promise<boolean> {
  const credential = await db.totpCredential.findUnique({ where: { userId } });
  if (!credential?.enabledAt) return false;

  const check = await checkTotp(unsealTotpSecret(credential.id, credential.secretCiphertext), code, {
    afterTimeStep: credential.lastUsedStep,
  });
  if (!check.valid) return false;

  const claimed = await db.totpCredential.updateMany({
    where: {
      id: credential.id,
      enabledAt: { not: null },
      OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: check.timeStep } }],
    },
    data: { lastUsedStep: check.timeStep },
  });
  return claimed.count === 1;
}
