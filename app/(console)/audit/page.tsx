import { Suspense } from "react";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { searchAuditEvents } from "@/lib/server/audit/search-audit-events";
import { decodeAuditCursor, positionAt } from "@/lib/server/audit/audit-cursor";
import { listAuditActors } from "@/lib/server/audit/list-audit-actors";
import { isAppError } from "@/lib/server/errors";
import { auditFilterQuery, auditFilterSchema, auditPageSchema, type AuditFilter } from "@/lib/validations/audit";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";
import { Forbidden } from "@/components/console/forbidden";
import { AuditFilters } from "./audit-filters";
import { AuditEventList } from "./audit-event-list";
import { VerifyChain } from "./verify-chain";
import { toRowView } from "./row-view";
import { AuditActivity } from "./activity/audit-activity";
import { RetentionCard } from "./retention-card";
import { getAuditRetention } from "@/lib/server/audit/set-audit-retention";

export const metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

function single(params: SearchParams): Record<string, string> {
  return Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : Array.isArray(v) && v[0] ? [[k, v[0]]] : [])));
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "audit.read")) return <Forbidden title="Audit log" roleLabel={ROLE_LABELS[ctx.role]} />;
  const db = getDb();
  const raw = single(await searchParams);
  const parsedFilter = auditFilterSchema.safeParse(raw);
  const parsedPage = auditPageSchema.safeParse(raw);
  const filter: AuditFilter = parsedFilter.success ? parsedFilter.data : {};
  const paging = parsedPage.success ? parsedPage.data : {};
  let problem = parsedFilter.success && parsedPage.success ? null : "Some filters in this link are not valid and were ignored.";

  let after = paging.at ? positionAt(paging.at) : null;
  if (!after && paging.cursor) {
    try {
      after = decodeAuditCursor(paging.cursor, filter);
    } catch (error) {
      if (!isAppError(error)) throw error;
      problem = error.message;
    }
  }
  const [page, actors, retentionDays, lastArchive] = await Promise.all([
    searchAuditEvents(db, ctx.org.id, filter, { after, limit: 50 }),
    listAuditActors(db, ctx.org.id),
    getAuditRetention(db, ctx.org.id),
    db.auditArchive.findFirst({ where: { chain: ctx.org.id }, orderBy: { cutSeq: "desc" }, select: { cutSeq: true, createdAt: true, eventCount: true } }),
  ]);
  const query = auditFilterQuery(filter);
  const filtered = query !== "" || after !== null;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="A read-only, hash-chained record of every change in this organization. Events cannot be edited; they leave only through retention, archived first."
      />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Filters" description="Filters live in the address bar: copy it to share or bookmark this view. Times are UTC." />
          <AuditFilters filter={filter} actors={actors} at={paging.at} />
        </Card>
        {problem && <Alert tone="warning">{problem}</Alert>}
        <Suspense fallback={<Card><CardHeader title="Activity" description="Counting events…" /><div className="h-64" /></Card>}>
          <AuditActivity orgId={ctx.org.id} filter={filter} />
        </Suspense>
        <Card>
          <CardHeader
            title="Events"
            description={paging.at ? `Newest first, starting at ${paging.at.toISOString().slice(0, 16).replace("T", " ")} UTC.` : "Newest first."}
            actions={
              <div className="flex flex-wrap gap-2">
                <a href={`/audit/export?${auditFilterQuery(filter, { format: "csv" })}`} className={buttonClasses("secondary", "sm")} data-testid="audit-export-csv" download>
                  Export CSV
                </a>
                <a href={`/audit/export?${auditFilterQuery(filter, { format: "jsonl" })}`} className={buttonClasses("secondary", "sm")} data-testid="audit-export-jsonl" download>
                  Export JSON Lines
                </a>
              </div>
            }
          />
          {page.events.length === 0 ? (
            <EmptyState
              title={filtered ? "No events match these filters" : "No events yet"}
              description={filtered ? "Widen the time range or clear a filter." : "Sign-ins, invitations and membership changes will appear here as they happen."}
            />
          ) : (
            <AuditEventList key={`${query}|${paging.at?.getTime() ?? ""}|${paging.cursor ?? ""}`} initial={page.events.map(toRowView)} nextCursor={page.nextCursor} filterQuery={query} />
          )}
        </Card>
        <VerifyChain />
        <RetentionCard
          retentionDays={retentionDays}
          editable={can(ctx.role, "org.security_policy")}
          lastArchive={lastArchive ? { cutSeq: lastArchive.cutSeq, eventCount: lastArchive.eventCount, createdAt: lastArchive.createdAt.toISOString() } : null}
        />
      </div>
    </>
  );
}
