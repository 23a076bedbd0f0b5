import Link from "next/link";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLES, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { getOrgOverview } from "@/lib/server/orgs/get-overview";
import { listRecentAuditEvents } from "@/lib/server/audit/list-audit-events";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { TrustBadge } from "@/components/security/trust-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { AuditTable } from "@/components/console/audit-table";
import { formatDateTime, formatRelative } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { listSecrets } from "@/lib/server/secrets/list-secrets";

export const metadata = { title: "Overview" };

function Stat({ label, value, detail, href }: { label: string; value: React.ReactNode; detail?: React.ReactNode; href?: string }) {
  const body = (
    <Card className={`h-full p-4 sm:p-5 ${href ? "transition-shadow hover:shadow-md" : ""}`}>
      <p className="text-sm font-medium text-zinc-500 dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tracking-tight tabular-nums sm:mt-2 sm:text-3xl">{value}</p>
      {detail && <div className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">{detail}</div>}
    </Card>
  );
  return href ? <Link href={href} className="block rounded-xl">{body}</Link> : body;
}

export default async function OverviewPage() {
  const ctx = await requireOrgSession();
  const db = getDb();
  const overview = await getOrgOverview(db, ctx.org.id, ctx.user.id);
  const canAudit = can(ctx.role, "audit.read");
  const recent = canAudit ? await listRecentAuditEvents(db, ctx.org.id, 6) : [];
  const secrets = await listSecrets(db, { orgId: ctx.org.id, viewer: { kind: "member", userId: ctx.user.id, role: ctx.role } });
  const overdue = secrets.filter((s) => s.rotation.state === "overdue").length;
  const dueSoon = secrets.filter((s) => s.rotation.state === "due_soon").length;

  return (
    <>
      <PageHeader title={`Welcome, ${ctx.user.name.split(" ")[0]}`} description={`Security overview of ${ctx.org.name}.`} />
      {overdue + dueSoon > 0 && (
        <Alert tone={overdue ? "error" : "warning"} title="Secrets need rotation" className="mb-6">
          {[overdue && `${overdue} overdue`, dueSoon && `${dueSoon} due soon`].filter(Boolean).join(", ")}.{" "}
          <Link href="/secrets" className="font-semibold underline">
            Open Secrets
          </Link>
        </Alert>
      )}
      <div className="grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-4">
        <Stat
          label="Members"
          value={overview.members}
          href="/members"
          detail={ROLES.filter((r) => overview.byRole[r]).map((r) => `${overview.byRole[r]} ${ROLE_LABELS[r].toLowerCase()}`).join(" · ")}
        />
        <Stat label="Pending invitations" value={overview.pendingInvitations} href="/members" detail="Links that are still open" />
        <Stat label="Your active sessions" value={overview.mySessions} href="/sessions" detail="Across all your devices" />
        <Stat
          label={"Failed sign-ins (24\u00a0h)"}
          value={overview.failedSignIns}
          href={canAudit ? "/audit" : undefined}
          detail={overview.failedSignIns === 0 ? "No failed attempts" : canAudit ? <Badge tone="warning">Review the audit log</Badge> : "Owners, admins and auditors can review them"}
        />
      </div>

      <div className="mt-6 grid gap-6 xl:grid-cols-3">
        <Card className="min-w-0 xl:col-span-1">
          <CardHeader title="This session" />
          <dl className="space-y-3 px-5 py-4 text-sm">
            <div className="flex justify-between gap-4">
              <dt className="text-zinc-500 dark:text-zinc-400">Device</dt>
              <dd className="text-right font-medium">{ctx.session.deviceLabel}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-zinc-500 dark:text-zinc-400">Trust</dt>
              <dd>
                <TrustBadge state={ctx.session.trustState} />
              </dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-zinc-500 dark:text-zinc-400">Signed in</dt>
              <dd className="text-right">{formatDateTime(ctx.session.createdAt)}</dd>
            </div>
            <div className="flex justify-between gap-4">
              <dt className="text-zinc-500 dark:text-zinc-400">Expires at the latest</dt>
              <dd className="text-right">{formatRelative(ctx.session.expiresAt)}</dd>
            </div>
          </dl>
        </Card>
        <Card className="min-w-0 xl:col-span-2">
          <CardHeader
            title="Recent activity"
            actions={canAudit ? <Link href="/audit" className="text-sm font-medium text-brand-600 hover:underline dark:text-brand-100">View audit log</Link> : undefined}
          />
          {!canAudit ? (
            <EmptyState title="Activity is visible to owners, admins and auditors" description="Your role does not include the audit log." />
          ) : recent.length === 0 ? (
            <EmptyState title="No activity yet" description="Events appear here as people sign in and change things." />
          ) : (
            <AuditTable events={recent} compact />
          )}
        </Card>
      </div>
    </>
  );
}
