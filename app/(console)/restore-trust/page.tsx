import { requireOrgSession } from "@/lib/server/auth/guards";
import { trustMethods } from "@/lib/factor-methods";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { formatRelative } from "@/lib/format";
import { RestoreTrustForm } from "./restore-trust-form";

export const metadata = { title: "Restore trust" };

export default async function RestoreTrustPage() {
  const ctx = await requireOrgSession({ allowUnenrolled: true });
  const untrusted = ctx.session.trustState === "untrusted";
  return (
    <>
      <PageHeader title="Restore trust" description="Confirm it's you to make changes from this session again. You stay signed in." />
      <Card className="max-w-xl p-6">
        {untrusted ? (
          <>
            <Alert tone="warning" title="Why this session is untrusted" className="mb-5">
              {ctx.session.trustReason} ({formatRelative(ctx.session.trustChangedAt)}).
            </Alert>
            <RestoreTrustForm methods={trustMethods(ctx.user)} />
          </>
        ) : (
          <Alert tone="success" title="This session is trusted">
            {ctx.session.trustReason}. Nothing to do here.
          </Alert>
        )}
      </Card>
    </>
  );
}
