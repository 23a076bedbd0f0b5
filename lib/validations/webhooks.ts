import { z } from "zod";
import { isWebhookEventFamily } from "@/lib/webhooks/event-families";

// Headers Gatehouse sets itself (signature, framing, routing): never overridden by an endpoint.
const RESERVED_HEADER = /^(webhook-.*|content-type|content-length|host|connection|transfer-encoding|user-agent|keep-alive|upgrade|te|trailer|expect|proxy-.*)$/i;

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, "Use a header name of letters, digits and dashes.")
  .refine((n) => !RESERVED_HEADER.test(n), "Gatehouse sets this header itself.");
const headerValue = z.string().max(1000, "Use at most 1000 characters.").regex(/^[\t\x20-\x7e]*$/, "Use printable ASCII only.");

const fields = {
  url: z.string({ error: "Enter the URL." }).trim().min(1, "Enter the URL.").max(2048, "Use at most 2048 characters."),
  description: z.string().trim().max(500, "Use at most 500 characters."),
  event_types: z
    .array(z.string().refine(isWebhookEventFamily, "Not an event family."))
    .max(50)
    .transform((v) => [...new Set(v)]),
  resource_ids: z
    .array(z.string().min(1).max(64))
    .max(100, "Select at most 100 resources.")
    .transform((v) => [...new Set(v)]),
  headers: z.record(headerName, headerValue).refine((h) => Object.keys(h).length <= 20, "Use at most 20 headers."),
};

/** An endpoint's settings, from the console or the API (snake_case); empty lists mean every event, every resource. */
export const webhookEndpointInputSchema = z.object({
  url: fields.url,
  description: fields.description.default(""),
  event_types: fields.event_types.default([]),
  resource_ids: fields.resource_ids.default([]),
  headers: fields.headers.default({}),
});

export type WebhookEndpointInput = z.infer<typeof webhookEndpointInputSchema>;

/** A partial change: keys left out stay as they are. */
export const webhookEndpointPatchSchema = z.object({
  url: fields.url.optional(),
  description: fields.description.optional(),
  event_types: fields.event_types.optional(),
  resource_ids: fields.resource_ids.optional(),
  headers: fields.headers.optional(),
});

/** PATCH /api/v1/webhooks/{id}: the settings, and `paused` to pause or resume. */
export const webhookEndpointApiPatchSchema = webhookEndpointPatchSchema.extend({
  paused: z.boolean().optional().describe("true pauses the endpoint; false resumes it (and re-enables one Gatehouse disabled)."),
}).strict();

/** POST /api/v1/webhooks */
export const webhookEndpointApiCreateSchema = webhookEndpointInputSchema.strict();

/** POST /api/v1/webhooks/{id}/rotate-secret */
export const rotateWebhookSecretBodySchema = z
  .object({ grace_hours: z.number().min(0).max(168).default(24).describe("How long the old secret keeps signing next to the new one (0 to 168 hours).") })
  .strict();

/** POST /api/v1/webhooks/{id}/redeliver: one delivery, or every failed one since a time. */
export const redeliverWebhookBodySchema = z
  .object({
    delivery_id: z.string().min(1).max(64).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => (b.delivery_id === undefined) !== (b.since === undefined), "Give either delivery_id or since.");

/** GET /api/v1/webhooks/{id}/deliveries */
export const webhookDeliveriesQuerySchema = z.object({
  status: z.enum(["pending", "succeeded", "failed"]).optional(),
  event_type: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(64).optional(),
});

// Console forms: FormData strings.
const endpointId = z.string().min(1).max(64);
const lines = (v: unknown) => (typeof v === "string" ? v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean) : []);

/** "X-Name: value" per line → an object; a line without a colon is kept as a name with an empty value so validation names it. */
function headerLines(v: unknown): Record<string, string> {
  if (typeof v !== "string") return {};
  const out: Record<string, string> = {};
  for (const line of v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(":");
    if (colon < 0) out[line] = "";
    else out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return out;
}

export const webhookEndpointFormSchema = z.object({
  url: z.string().default(""),
  description: z.string().default(""),
  eventTypes: z.preprocess(lines, z.array(z.string())),
  resourceIds: z.preprocess(lines, z.array(z.string())),
  headers: z.preprocess(headerLines, z.record(z.string(), z.string())),
});
export const webhookEndpointEditFormSchema = webhookEndpointFormSchema.extend({ endpointId, clearHeaders: z.literal("on").optional() });
export const webhookEndpointIdFormSchema = z.object({ endpointId });
export const rotateWebhookSecretFormSchema = z.object({ endpointId, graceHours: z.coerce.number({ message: "Choose a grace period." }).int().min(0).max(168) });
export const redeliverWebhookFormSchema = z.object({ endpointId, deliveryId: z.string().min(1).max(64).optional(), sinceHours: z.coerce.number().int().min(1).max(24 * 30).optional() });
