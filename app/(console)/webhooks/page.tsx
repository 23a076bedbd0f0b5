import Link from "next/link";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, ROLE_LABELS } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { listWebhookEndpoints } from "@/lib/server/webhooks/list-webhooks";
import { WEBHOOK_EVENT_FAMILIES } from "@/lib/webhooks/event-families";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/console/forbidden";
import { formatDateTime } from "@/lib/format";
import { CreateEndpointSection } from "./endpoint-form";
import { EndpointStatusBadge } from "./endpoint-status";
import { listIntegrationIntakes } from "@/lib/server/integrations/configure-integration-intake";
import { getConfig } from "@/lib/server/config";
import { InboundIntakes } from "./inbound-intakes";
import { listWebhookFilterChoices } from "@/lib/server/webhooks/list-filter-choices";

export const metadata = { title: "Webhooks" };

const familyLabel = (type: string) => WEBHOOK_EVENT_FAMILIES.find((f) => f.type === type)?.label ?? type;

export default async function WebhooksPage() {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "webhooks.read")) return <Forbidden title="Webhooks" roleLabel={ROLE_LABELS[ctx.role]} />;
  const manage = can(ctx.role, "webhooks.manage");
  const endpoints = await listWebhookEndpoints(getDb(), ctx.org.id);
  const intakes = await listIntegrationIntakes(getDb(), ctx.org.id);
  const disabled = endpoints.filter((e) => e.status === "disabled");

  return (
    <>
      <PageHeader title="Webhooks" description="Tell your other systems what changed in Gatehouse: signed deliveries to your endpoints, retried on failure, with a full history." />
      <div className="space-y-6">
        {disabled.length > 0 && (
          <Alert tone="error" title={disabled.length === 1 ? "An endpoint was disabled" : `${disabled.length} endpoints were disabled`}>
            Gatehouse stopped sending to {disabled.map((e) => e.url).join(", ")}. Open the endpoint to see why{manage ? " and to re-enable it" : ""}.
          </Alert>
        )}
        {!manage && (
          <Alert tone="info" title="Read-only">
            Owners and admins create and change endpoints; you can review them and their deliveries.
          </Alert>
        )}
        {manage && <CreateEndpointSection families={[...WEBHOOK_EVENT_FAMILIES]} choices={await listWebhookFilterChoices(getDb(), ctx.org.id)} />}
        <Card>
          <CardHeader title={`Endpoints (${endpoints.length})`} description="Newest first. Open one for its deliveries, test sends and secret." />
          {endpoints.length === 0 ? (
            <EmptyState
              title="No endpoints yet"
              description="An endpoint is a URL of yours that receives Gatehouse's events (prop.created, api_key.revoked, …) as signed JSON POSTs, verifiable with any Standard Webhooks library."
            />
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Webhook endpoints">
              {endpoints.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-4">
                  <div className="min-w-0 flex-1">
                    <div className="flex flex-wrap items-center gap-2">
                      <Link href={`/webhooks/${e.id}`} className="font-mono text-sm font-medium break-all text-brand-700 hover:underline dark:text-brand-300">
                        {e.url}
                      </Link>
                      <EndpointStatusBadge status={e.status} />
                    </div>
                    <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
                      {e.description ? `${e.description} · ` : ""}
                      {e.event_types.length === 0 ? "Every event" : e.event_types.map(familyLabel).join(", ")}
                      {e.resource_ids.length > 0 ? ` · ${e.resource_ids.length} selected resources` : ""} · added {formatDateTime(new Date(e.created_at))}
                    </p>
                  </div>
                  <Link href={`/webhooks/${e.id}`} className="text-sm font-medium text-zinc-700 hover:underline dark:text-zinc-300">
                    Deliveries →
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <InboundIntakes intakes={intakes} publicUrl={getConfig().publicUrl} manage={manage} />
      </div>
    </>
  );
}
