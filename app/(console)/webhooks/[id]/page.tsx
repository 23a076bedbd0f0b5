import Link from "next/link";
import { notFound } from "next/navigation";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { getWebhookEndpoint, listWebhookDeliveries } from "@/lib/server/webhooks/list-webhooks";
import { WEBHOOK_EVENT_FAMILIES } from "@/lib/webhooks/event-families";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/console/forbidden";
import { formatDateTime } from "@/lib/format";
import { EndpointStatusBadge, DeliveryStatusBadge } from "../endpoint-status";
import { EndpointControls, RedeliverButton } from "../endpoint-controls";
import { listWebhookFilterChoices } from "@/lib/server/webhooks/list-filter-choices";

export const metadata = { title: "Webhook endpoint" };

const STATUSES = ["pending", "succeeded", "failed"] as const;
const familyLabel = (type: string) => WEBHOOK_EVENT_FAMILIES.find((f) => f.type === type)?.label ?? type;

export default async function WebhookEndpointPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "webhooks.read")) return <Forbidden title="Webhooks" roleLabel={ROLE_LABELS[ctx.role]} />;
  const manage = can(ctx.role, "webhooks.manage");
  const { id } = await params;
  const query = await searchParams;
  const status = typeof query.status === "string" && (STATUSES as readonly string[]).includes(query.status) ? query.status : undefined;
  const eventType = typeof query.event === "string" && /^[a-z_]+\.[a-z_]+$/.test(query.event) ? query.event : undefined;
  const db = getDb();
  let endpoint;
  try {
    endpoint = await getWebhookEndpoint(db, ctx.org.id, id);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
  const deliveries = await listWebhookDeliveries(db, { orgId: ctx.org.id, endpointId: id, status, eventType, limit: 50 });
  const choices = await listWebhookFilterChoices(db, ctx.org.id);
  const filterLink = (s?: string) => `/webhooks/${id}${s ? `?status=${s}` : ""}`;

  return (
    <>
      <PageHeader title="Webhook endpoint" description={endpoint.description || "Deliveries, test sends and the signing secret of one endpoint."} />
      <div className="space-y-6">
        <p className="text-sm">
          <Link href="/webhooks" className="text-zinc-600 hover:underline dark:text-zinc-400">
            ← All endpoints
          </Link>
        </p>
        {endpoint.status === "disabled" && (
          <Alert tone="error" title="Gatehouse disabled this endpoint">
            {endpoint.disabled_reason ?? "It failed too often."} Disabled {endpoint.disabled_at ? formatDateTime(new Date(endpoint.disabled_at)) : ""}.{" "}
            {manage ? "Fix the receiver, then re-enable it below; nothing was queued for it meanwhile." : "An owner or admin can re-enable it."}
          </Alert>
        )}
        {endpoint.status === "active" && endpoint.failing_since && (
          <Alert tone="warning" title="Deliveries are failing">
            Every delivery has failed since {formatDateTime(new Date(endpoint.failing_since))}. After 5 days of failures Gatehouse disables the endpoint.
          </Alert>
        )}
        <Card>
          <CardHeader title="Endpoint" actions={<EndpointStatusBadge status={endpoint.status} />} />
          <dl className="grid gap-x-6 gap-y-3 px-5 py-4 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-zinc-500 dark:text-zinc-400">URL</dt>
            <dd className="font-mono break-all" data-testid="endpoint-url">{endpoint.url}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Events</dt>
            <dd>{endpoint.event_types.length === 0 ? "Every event" : endpoint.event_types.map(familyLabel).join(", ")}</dd>
            {endpoint.resource_ids.length > 0 && (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Resources</dt>
                <dd data-testid="endpoint-resources">{endpoint.resource_ids.map((rid) => choices.find((c) => c.id === rid)?.name ?? `${rid} (deleted)`).join(", ")}</dd>
              </>
            )}
            <dt className="text-zinc-500 dark:text-zinc-400">Custom headers</dt>
            <dd>{endpoint.header_names.length ? endpoint.header_names.join(", ") : "None"}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Signing secret</dt>
            <dd>
              whsec_… (shown once, when created or rotated)
              {endpoint.secret_rotating_until && <span className="block text-amber-700 dark:text-amber-400">The previous secret signs too until {formatDateTime(new Date(endpoint.secret_rotating_until))}.</span>}
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Created</dt>
            <dd>{formatDateTime(new Date(endpoint.created_at))}</dd>
          </dl>
          {manage && (
            <div className="border-t border-zinc-200 px-5 py-4 dark:border-zinc-800">
              <EndpointControls
                families={[...WEBHOOK_EVENT_FAMILIES]}
                choices={choices}
                endpoint={{ endpointId: endpoint.id, url: endpoint.url, description: endpoint.description, eventTypes: endpoint.event_types, resourceIds: endpoint.resource_ids, headerNames: endpoint.header_names, status: endpoint.status }}
              />
            </div>
          )}
        </Card>
        <Card>
          <CardHeader
            title="Deliveries"
            description="Newest first, with every attempt: the request as sent and the first 4 KB of the answer."
            actions={
              <nav aria-label="Filter deliveries" className="flex flex-wrap gap-1 text-sm">
                {[undefined, ...STATUSES].map((s) => (
                  <Link
                    key={s ?? "all"}
                    href={filterLink(s)}
                    aria-current={status === s ? "page" : undefined}
                    className={`rounded-md px-2 py-1 ${status === s ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}
                  >
                    {s ? s[0].toUpperCase() + s.slice(1) : "All"}
                  </Link>
                ))}
              </nav>
            }
          />
          {deliveries.data.length === 0 ? (
            <EmptyState title="No deliveries" description={status || eventType ? "Nothing matches this filter." : "Events for this endpoint show here as they are sent. Send a test event to try it."} />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Deliveries">
              {deliveries.data.map((d) => (
                <li key={d.id} className="px-5 py-3" data-testid="delivery">
                  <details>
                    <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 text-sm">
                      <DeliveryStatusBadge status={d.status} />
                      <Link href={`/webhooks/${id}?event=${d.event_type}`} className="font-mono font-medium hover:underline">
                        {d.event_type}
                      </Link>
                      <span className="text-zinc-500 dark:text-zinc-400">
                        {formatDateTime(new Date(d.created_at))} · {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                        {d.last_status_code !== null ? ` · HTTP ${d.last_status_code}` : ""}
                        {d.manual ? " · redelivery" : ""}
                        {d.next_attempt_at ? ` · next try ${formatDateTime(new Date(d.next_attempt_at))}` : ""}
                      </span>
                    </summary>
                    <div className="mt-3 space-y-3">
                      {d.last_error && <p className="text-sm text-red-700 dark:text-red-400">{d.last_error}</p>}
                      <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">webhook-id {d.event_id}</p>
                      {d.attempt_log.map((a) => (
                        <div key={a.attempt} className="rounded-lg ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800">
                          <p className="border-b border-zinc-200 px-3 py-2 text-xs font-medium dark:border-zinc-800">
                            Attempt {a.attempt} · {formatDateTime(new Date(a.started_at))} · {a.duration_ms} ms ·{" "}
                            {a.response_status !== null ? `HTTP ${a.response_status}` : (a.error ?? "no answer")}
                          </p>
                          <div className="grid gap-3 p-3 lg:grid-cols-2">
                            <div className="min-w-0">
                              <p className="mb-1 text-xs font-semibold text-zinc-600 dark:text-zinc-400">Request</p>
                              <pre className="max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs whitespace-pre-wrap break-all dark:bg-zinc-950" data-testid="request-headers">
                                {Object.entries(a.request_headers)
                                  .map(([k, v]) => `${k}: ${v}`)
                                  .join("\n")}
                                {"\n\n"}
                                {a.request_body}
                              </pre>
                            </div>
                            <div className="min-w-0">
                              <p className="mb-1 text-xs font-semibold text-zinc-600 dark:text-zinc-400">Response</p>
                              <pre className="max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs whitespace-pre-wrap break-all dark:bg-zinc-950" data-testid="response-body">
                                {a.response_status !== null ? `HTTP ${a.response_status}\n\n${a.response_body ?? ""}` : (a.error ?? "")}
                              </pre>
                            </div>
                          </div>
                        </div>
                      ))}
                      {manage && endpoint.status === "active" && d.status !== "pending" && <RedeliverButton endpointId={id} deliveryId={d.id} />}
                    </div>
                  </details>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
