import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { listRecentAuditEvents } from "@/lib/server/audit/list-audit-events";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/console/forbidden";
import { AuditTable } from "@/components/console/audit-table";

export const metadata = { title: "Audit log" };

export default async function AuditPage() {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "audit.read")) return <Forbidden title="Audit log" roleLabel={ROLE_LABELS[ctx.role]} />;
  const events = await listRecentAuditEvents(getDb(), ctx.org.id, 100);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="A read-only, hash-chained record of every change in this organization. Events cannot be edited or deleted."
      />
      <Card>
        <CardHeader title="Recent events" description="The 100 most recent events, newest first. Filters, export and chain verification are coming to this page." />
        {events.length === 0 ? (
          <EmptyState title="No events yet" description="Sign-ins, invitations and membership changes will appear here as they happen." />
        ) : (
          <AuditTable events={events} />
        )}
      </Card>
    </>
  );
}
