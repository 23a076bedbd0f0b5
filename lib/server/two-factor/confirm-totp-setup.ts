import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { checkTotp } from "@/lib/totp";
import { unsealTotpSecret } from "./totp-secret-box";
import { generateRecoveryCodes } from "./recovery-codes";

const NO_PENDING = "There is no authenticator setup in progress. Start again.";

/**
 * Turn the pending TOTP credential on once the user proves their app produces
 * the right codes. Invariants: the credential is enabled only after a correct
 * code; the step of that code is recorded as used, so the same code cannot
 * later pass `verifyUserTotp`; the enable, the first recovery-code set (only
 * when the user never had one; returned once, else null) and the audit event
 * commit together or not at all.
 */
export async function confirmTotpSetup(
  db: Db,
  input: { userId: string; code: string; actor: UserActor; organizationId: string | null },
): Promise<{ recoveryCodes: string[] | null }> {
  const credential = await db.totpCredential.findUnique({ where: { userId: input.userId } });
  if (!credential) throw new AppError("conflict", NO_PENDING);
  if (credential.enabledAt) throw new AppError("conflict", "Two-factor authentication with an authenticator app is already on.");

  const check = await checkTotp(unsealTotpSecret(credential.id, credential.secretCiphertext), input.code);
  if (!check.valid) {
    throw new AppError("validation_failed", "That code is not correct. Enter the current code from your authenticator app.", {
      fieldErrors: { code: ["That code is not correct. Check your device's clock and try the current code."] },
    });
  }

  return db.$transaction(async (tx) => {
    // Conditional on the same pending row: a concurrent confirm, or a restart
    // that replaced the secret since we read it, makes this match nothing.
    const enabled = await tx.totpCredential.updateMany({
      where: { id: credential.id, enabledAt: null },
      data: { enabledAt: new Date(), lastUsedStep: check.timeStep },
    });
    if (enabled.count !== 1) throw new AppError("conflict", NO_PENDING);

    // Counting used codes too: a user who already holds a set (from a security
    // key) keeps it rather than having it silently replaced.
    const hadCodes = (await tx.recoveryCode.count({ where: { userId: input.userId } })) > 0;
    const recoveryCodes = hadCodes ? null : await generateRecoveryCodes(tx, input.userId);

    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "two_factor.totp_enabled",
      resource: { type: "user", id: input.userId, label: user.email },
      outcome: "success",
      // recordAuditEvent refuses keys mentioning "recovery" (credential guard),
      // so the flag is named for what it says: a first code set was issued.
      metadata: { codes_generated: recoveryCodes !== null },
    });
    return { recoveryCodes };
  });
}
