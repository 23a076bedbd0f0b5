import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { eventFamilyOf } from "@/lib/webhooks/event-families";
import { readStringList } from "./endpoint-settings";

export interface WebhookEventInput {
  organizationId: string;
  /** `<resource>.<verb>`, e.g. `prop.created`. */
  type: string;
  resource: { type: string; id: string | null };
  /** The resource's public fields (never a secret value). */
  data: object;
  /** Deliver to this endpoint only, whatever it subscribes to (the console's "Send test event"). */
  onlyEndpointId?: string;
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** `msg_` + 128 random bits: the `webhook-id` receivers deduplicate on. */
export function newWebhookMessageId(): string {
  return `msg_${newId()}`;
}

/**
 * Put an event into the outbox inside the caller's transaction, with one
 * pending delivery per active endpoint of the organization that subscribes to
 * its family (and, when the endpoint filters by resource, to this resource).
 * Call it next to recordAuditEvent: the event and its deliveries exist exactly
 * when the change does (a rollback leaves none). Paused and disabled endpoints
 * get nothing, as with GitHub's inactive hooks.
 */
export async function recordWebhookEvent(tx: Tx, input: WebhookEventInput): Promise<string> {
  if (!EVENT_TYPE.test(input.type)) throw new Error(`webhook event type must be resource.verb, got "${input.type}"`);
  const id = newWebhookMessageId();
  const now = new Date();
  const payload = JSON.stringify({ type: input.type, timestamp: now.toISOString(), data: input.data });
  await tx.webhookEvent.create({
    data: { id, organizationId: input.organizationId, type: input.type, resourceType: input.resource.type, resourceId: input.resource.id, payload, createdAt: now },
  });
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { organizationId: input.organizationId, status: "active" },
    select: { id: true, eventTypes: true, resourceIds: true },
  });
  const family = eventFamilyOf(input.type);
  const targets = input.onlyEndpointId ? endpoints.filter((e) => e.id === input.onlyEndpointId) : endpoints.filter((e) => subscribes(e, family, input.resource.id));
  if (targets.length > 0) {
    await tx.webhookDelivery.createMany({
      data: targets.map((e) => ({ id: newId(), organizationId: input.organizationId, endpointId: e.id, eventId: id, eventType: input.type, nextAttemptAt: now, createdAt: now })),
    });
  }
  return id;
}

function subscribes(endpoint: { eventTypes: string; resourceIds: string }, family: string, resourceId: string | null): boolean {
  const families = readStringList(endpoint.eventTypes);
  if (families.length > 0 && !families.includes(family)) return false;
  const resources = readStringList(endpoint.resourceIds);
  return resources.length === 0 || (resourceId !== null && resources.includes(resourceId));
}
