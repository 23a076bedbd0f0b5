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
