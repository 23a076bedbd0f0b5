import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { WEBHOOK_TEST_EVENT } from "@/lib/webhooks/event-families";
import { findWebhookEndpointForUpdate } from "./find-webhook-endpoint";
import { recordWebhookEvent } from "./record-webhook-event";

/** Queue a `webhook.test` event for one active endpoint (the worker sends it within a second). Returns the event id. */
export async function sendTestWebhook(db: Db, { orgId, id, actor }: { orgId: string; id: string; actor: Actor }): Promise<string> {
  return db.$transaction(async (tx) => {
    const row = await findWebhookEndpointForUpdate(tx, orgId, id);
    if (row.status !== "active") throw new AppError("conflict", `The endpoint is ${row.status}: resume it first.`);
    const eventId = await recordWebhookEvent(tx, {
      organizationId: orgId,
      type: WEBHOOK_TEST_EVENT,
      resource: { type: "webhook", id: row.id },
      data: { endpoint_id: row.id, message: "A test event from Gatehouse." },
      onlyEndpointId: row.id,
    });
    await recordAuditEvent(tx, auditEventBy(actor, { organizationId: orgId, action: "webhook.test_sent", resource: { type: "webhook", id: row.id, label: row.url }, outcome: "success", metadata: { event: eventId } }));
    return eventId;
  });
}
