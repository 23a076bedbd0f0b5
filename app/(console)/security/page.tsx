import { requireOrgSession } from "@/lib/server/auth/guards";
import { can } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { getTwoFactorStatus } from "@/lib/server/two-factor/get-two-factor-status";
import { listSecurityKeys } from "@/lib/server/webauthn/manage-security-keys";
import { RECOVERY_CODE_COUNT } from "@/lib/server/two-factor/recovery-codes";
import { secondFactorMethods } from "@/lib/factor-methods";
import { PageHeader } from "@/components/ui/page-header";
import { Alert } from "@/components/ui/alert";
import { TotpCard } from "./totp-card";
import { RecoveryCodesCard } from "./recovery-codes-card";
import { SecurityKeysCard } from "./security-keys-card";
import { PasswordCard } from "./password-card";
import { PolicyCard } from "./policy-card";

export const metadata = { title: "Security" };

export default async function SecurityPage() {
  // The enrolment destination when the organization requires 2FA, so it must stay reachable without it.
  const ctx = await requireOrgSession({ allowUnenrolled: true });
  const db = getDb();
  const [status, keys] = await Promise.all([getTwoFactorStatus(db, ctx.user.id), listSecurityKeys(db, ctx.user.id)]);
  const mustEnrol = ctx.org.require2fa && !status.hasSecondFactor;
  // Removing a factor needs a fresh code or (another) key.
  const verifyMethods = secondFactorMethods({ totpEnabled: status.totpEnabled, securityKeyCount: keys.length });

  return (
    <>
      <PageHeader title="Security" description="Two-factor authentication, security keys and your password. Changes here need sudo mode." />
      <div className="space-y-6">
        {mustEnrol && (
          <Alert tone="warning" title={`${ctx.org.name} requires two-factor authentication`}>
            Set up an authenticator app or add a security key to continue. The rest of the console opens once you have a second factor.
          </Alert>
        )}
        {!status.hasSecondFactor && !mustEnrol && (
          <Alert tone="info" title="Two-factor authentication is off">
            Protect your account with an authenticator app or a security key: a stolen password alone will no longer be enough.
          </Alert>
        )}
        <TotpCard enabled={status.totpEnabled} enabledAt={status.totpEnabledAt?.toISOString() ?? null} verifyMethods={verifyMethods} />
        <SecurityKeysCard
          keys={keys.map((k) => ({ id: k.id, name: k.name, createdAt: k.createdAt.toISOString(), lastUsedAt: k.lastUsedAt?.toISOString() ?? null, backedUp: k.backedUp }))}
          verifyMethods={verifyMethods}
        />
        <RecoveryCodesCard remaining={status.recoveryCodesRemaining} total={RECOVERY_CODE_COUNT} available={status.hasSecondFactor} />
        <PasswordCard />
        {can(ctx.role, "org.security_policy") && <PolicyCard orgName={ctx.org.name} required={ctx.org.require2fa} />}
      </div>
    </>
  );
}
