import { z } from "zod";

/** What the webhook routes answer, for the OpenAPI document (lib/server/webhooks/public-webhook-endpoint.ts, list-webhooks.ts). */
const isoDate = z.iso.datetime({ offset: true });

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(z.string()).describe("Event families; empty: every event."),
    resource_ids: z.array(z.string()).describe("Resources the endpoint is filtered to; empty: every resource."),
    header_names: z.array(z.string()).describe("Custom request headers (their values are never shown)."),
    status: z.enum(["active", "paused", "disabled"]),
    disabled_reason: z.string().nullable(),
    disabled_at: isoDate.nullable(),
    failing_since: isoDate.nullable(),
    secret_rotating_until: isoDate.nullable().describe("Until then the previous secret signs too."),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookEndpointListSchema = z.object({ data: z.array(webhookEndpointSchema), next_cursor: z.string().nullable() }).meta({ id: "WebhookEndpointList" });

export const webhookEndpointWithSecretSchema = webhookEndpointSchema
  .extend({ secret: z.string().describe("The `whsec_…` signing secret. Shown in this answer only.") })
  .meta({ id: "WebhookEndpointWithSecret" });

const attemptSchema = z.object({
  attempt: z.number().int(),
  started_at: isoDate,
  duration_ms: z.number().int(),
  request_headers: z.record(z.string(), z.string()),
  request_body: z.string(),
  response_status: z.number().int().nullable(),
  response_body: z.string().nullable().describe("The first 4 KB."),
  error: z.string().nullable(),
});

export const webhookDeliveryListSchema = z
  .object({
    data: z.array(
      z.object({
        id: z.string(),
        event_id: z.string().describe("The `webhook-id` header."),
        event_type: z.string(),
        status: z.enum(["pending", "succeeded", "failed"]),
        attempts: z.number().int(),
        manual: z.boolean(),
        next_attempt_at: isoDate.nullable(),
        last_status_code: z.number().int().nullable(),
        last_error: z.string().nullable(),
        created_at: isoDate,
        completed_at: isoDate.nullable(),
        attempt_log: z.array(attemptSchema),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .meta({ id: "WebhookDeliveryList" });

export const queuedSchema = z.object({ queued: z.number().int(), event_id: z.string().optional() }).meta({ id: "WebhookQueued" });
