import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { findWebhookEndpointForUpdate } from "./find-webhook-endpoint";

/** At most this many deliveries are queued again by one "redeliver failed since" request. */
export const MAX_BULK_REDELIVERY = 1000;

/**
 * Queue deliveries again by hand: one delivery (`deliveryId`) or every
 * failed one since `since`. Each becomes a new manual delivery of the same
 * event (same `webhook-id`, so receivers can deduplicate) that is tried once
 * and not rescheduled. Returns the number queued. Audited.
 */
export async function redeliverWebhooks(
  db: Db,
  { orgId, endpointId, actor, deliveryId, since }: { orgId: string; endpointId: string; actor: Actor; deliveryId?: string; since?: Date },
): Promise<number> {
  if (!deliveryId && !since) throw new AppError("validation_failed", "Choose a delivery or a time.");
  return db.$transaction(async (tx) => {
    const endpoint = await findWebhookEndpointForUpdate(tx, orgId, endpointId);
    if (endpoint.status !== "active") throw new AppError("conflict", `The endpoint is ${endpoint.status}: resume it first.`);
    const originals = deliveryId
      ? await tx.webhookDelivery.findMany({ where: { id: deliveryId, endpointId: endpoint.id, organizationId: orgId } })
      : await tx.webhookDelivery.findMany({ where: { endpointId: endpoint.id, organizationId: orgId, status: "failed", createdAt: { gte: since } }, orderBy: { createdAt: "asc" }, take: MAX_BULK_REDELIVERY });
    if (deliveryId && originals.length === 0) throw new AppError("not_found", "That delivery does not exist.");
    const now = new Date();
    if (originals.length > 0) {
      await tx.webhookDelivery.createMany({
        data: originals.map((d) => ({ id: newId(), organizationId: orgId, endpointId: endpoint.id, eventId: d.eventId, eventType: d.eventType, nextAttemptAt: now, manual: true, createdAt: now })),
      });
    }
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "webhook.redelivered",
        resource: { type: "webhook", id: endpoint.id, label: endpoint.url },
        outcome: "success",
        metadata: { deliveries: originals.length, ...(deliveryId ? { delivery: deliveryId } : { since: since!.toISOString() }) },
      }),
    );
    return originals.length;
  });
}
