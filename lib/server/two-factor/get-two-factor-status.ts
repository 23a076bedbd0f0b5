import "server-only";
import type { Db } from "@/lib/server/db/client";

export interface TwoFactorStatus {
  totpEnabled: boolean;
  totpEnabledAt: Date | null;
  securityKeys: number;
  recoveryCodesRemaining: number;
  hasSecondFactor: boolean;
}

/** What the security settings page shows. A pending (unconfirmed) TOTP setup counts as off. */
export async function getTwoFactorStatus(db: Db, userId: string): Promise<TwoFactorStatus> {
  const [totp, securityKeys, recoveryCodesRemaining] = await Promise.all([
    db.totpCredential.findUnique({ where: { userId }, select: { enabledAt: true } }),
    db.securityKey.count({ where: { userId } }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  const totpEnabledAt = totp?.enabledAt ?? null;
  return {
    totpEnabled: totpEnabledAt !== null,
    totpEnabledAt,
    securityKeys,
    recoveryCodesRemaining,
    hasSecondFactor: totpEnabledAt !== null || securityKeys > 0,
  };
}
