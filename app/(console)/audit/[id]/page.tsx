import Link from "next/link";
import { notFound } from "next/navigation";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { getAuditEvent } from "@/lib/server/audit/get-audit-event";
import { auditEventTitle, auditOutcomeLabel } from "@/lib/audit-labels";
import { auditFilterQuery } from "@/lib/validations/audit";
import { formatDateTime } from "@/lib/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Forbidden } from "@/components/console/forbidden";
import { MetadataTree } from "../metadata-tree";

export const metadata = { title: "Audit event" };

const OUTCOME_TONE: Record<string, BadgeTone> = { success: "success", denied: "warning", failure: "danger" };
const ACTOR_TYPE_LABEL: Record<string, string> = { user: "User", system: "System", api_key: "API key", agent: "Agent" };
const FACTOR_LABEL: Record<string, string> = { password: "Password", totp: "Authenticator app", webauthn: "Security key", security_key: "Security key", recovery_code: "Recovery code" };
const link = "text-brand-700 hover:underline dark:text-brand-300";

function Row({ label, children, mono = false }: { label: string; children: React.ReactNode; mono?: boolean }) {
  return (
    <div className="grid grid-cols-1 gap-x-4 gap-y-0.5 px-5 py-2.5 sm:grid-cols-[12rem_1fr]">
      <dt className="text-sm text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className={`min-w-0 text-sm break-words ${mono ? "font-mono text-xs break-all" : ""}`}>{children ?? <span className="text-zinc-400">—</span>}</dd>
    </div>
  );
}

export default async function AuditEventPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "audit.read")) return <Forbidden title="Audit log" roleLabel={ROLE_LABELS[ctx.role]} />;
  const { id } = await params;
  const event = await getAuditEvent(getDb(), ctx.org.id, id);
  if (!event) notFound();

  const actorName = event.actorLabel ?? ACTOR_TYPE_LABEL[event.actorType] ?? event.actorType;
  return (
    <>
      <PageHeader title={auditEventTitle(event.action, event.outcome)} description={`${formatDateTime(event.occurredAt)} · ${event.action}`} />
      <p className="-mt-3 mb-6 text-sm">
        <Link href="/audit" className={link}>
          ← Back to the audit log
        </Link>
      </p>
      <div className="space-y-6" data-testid="audit-detail" data-event-id={event.id}>
        <Card>
          <CardHeader title="Event" actions={<Badge tone={OUTCOME_TONE[event.outcome] ?? "neutral"}>{auditOutcomeLabel(event.outcome)}</Badge>} />
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Time">
              <time dateTime={event.occurredAt.toISOString()}>{event.occurredAt.toISOString()}</time>
            </Row>
            <Row label="Action" mono>
              {event.action}
            </Row>
            <Row label="Outcome">{auditOutcomeLabel(event.outcome)}</Row>
            <Row label="Actor">
              {actorName} <span className="text-zinc-500 dark:text-zinc-400">({ACTOR_TYPE_LABEL[event.actorType] ?? event.actorType})</span>
              {event.actorId && <span className="block font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{event.actorId}</span>}
              <span className="mt-1 block">
                <Link className={link} data-testid="audit-actor-events" href={`/audit?${event.actorId ? auditFilterQuery({ actor: event.actorId }) : auditFilterQuery({ actor_type: event.actorType })}`}>
                  Other events by this actor
                </Link>
              </span>
            </Row>
            <Row label="Resource">
              {event.resourceType ? (
                <>
                  {event.resourceLabel ?? event.resourceId ?? "—"} <span className="text-zinc-500 dark:text-zinc-400">({event.resourceType})</span>
                  {event.resourceId && <span className="block font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{event.resourceId}</span>}
                  <span className="mt-1 block">
                    <Link className={link} data-testid="audit-resource-events" href={`/audit?${auditFilterQuery({ resource_type: event.resourceType, resource_id: event.resourceId ?? undefined })}`}>
                      Other events on this resource
                    </Link>
                  </span>
                </>
              ) : null}
            </Row>
            <Row label="IP address" mono>
              {event.ip}
            </Row>
            <Row label="User agent">{event.userAgent}</Row>
            <Row label="Session" mono>
              {event.sessionId}
            </Row>
            <Row label="API key" mono>
              {event.apiKeyId}
            </Row>
            <Row label="Sudo grant">
              {event.sudoGrantId ? (
                <>
                  <span className="block font-mono text-xs break-all">{event.sudoGrantId}</span>
                  {event.sudoGrant ? (
                    <span className="block text-zinc-600 dark:text-zinc-300" data-testid="audit-sudo-factor">
                      Confirmed with {FACTOR_LABEL[event.sudoGrant.factor] ?? event.sudoGrant.factor} at {formatDateTime(event.sudoGrant.createdAt)}, valid until {formatDateTime(event.sudoGrant.expiresAt)}
                    </span>
                  ) : (
                    <span className="block text-zinc-500 dark:text-zinc-400">The grant record is no longer kept (its session ended).</span>
                  )}
                </>
              ) : (
                <span className="text-zinc-500 dark:text-zinc-400">Not a sudo action</span>
              )}
            </Row>
            <Row label="Event ID" mono>
              {event.id}
            </Row>
          </dl>
        </Card>
        <Card>
          <CardHeader title="Metadata" description="Context recorded with the event (never secret values)." />
          <div className="px-5 py-4" data-testid="audit-metadata">
            <MetadataTree value={event.metadata} />
          </div>
        </Card>
        <Card>
          <CardHeader title="Place in the hash chain" description="The hash covers every field above and the previous event's hash: changing or removing any event breaks every hash after it." />
          <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
            <Row label="Sequence number">
              <span data-testid="audit-seq">#{event.seq}</span>
            </Row>
            <Row label="Previous hash" mono>
              {event.prevHash}
            </Row>
            <Row label="Hash" mono>
              <span data-testid="audit-hash">{event.hash}</span>
            </Row>
          </dl>
        </Card>
      </div>
    </>
  );
}
