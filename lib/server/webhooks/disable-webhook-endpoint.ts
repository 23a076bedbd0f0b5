import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "./record-webhook-event";
import { toPublicWebhookEndpoint } from "./public-webhook-endpoint";

/**
 * Disable an endpoint on Gatehouse's own decision (410 Gone, days of
 * failures): conditional, so two workers deciding at once record it once;
 * its queued deliveries are failed; audited as `webhook.disabled` by the
 * system with the reason owners see, and announced to other endpoints.
 */
export async function disableWebhookEndpointInTx(tx: Tx, endpointId: string, reason: string, now: Date): Promise<boolean> {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id: endpointId, status: { not: "disabled" } },
    data: { status: "disabled", disabledReason: reason, disabledAt: now },
  });
  if (count !== 1) return false;
  const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
  await tx.webhookDelivery.updateMany({
    where: { endpointId, status: "pending" },
    data: { status: "failed", lastError: "Not sent: the endpoint was disabled.", lockedBy: null, lockedUntil: null, completedAt: now },
  });
  await recordAuditEvent(tx, {
    organizationId: endpoint.organizationId,
    actor: { type: "system", label: "Webhook delivery worker" },
    action: "webhook.disabled",
    resource: { type: "webhook", id: endpoint.id, label: endpoint.url },
    outcome: "success",
    metadata: { reason },
  });
  await recordWebhookEvent(tx, { organizationId: endpoint.organizationId, type: "webhook.disabled", resource: { type: "webhook", id: endpoint.id }, data: toPublicWebhookEndpoint(endpoint, now) });
  return true;
}
