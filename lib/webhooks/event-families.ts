import { RESOURCE_DEFINITIONS } from "@/lib/resources/registry";

/** What an endpoint can subscribe to: `type` is the prefix of its events (`prop` → `prop.created`). */
export interface WebhookEventFamily {
  type: string;
  label: string;
}

/** Every registry resource, then API keys, secrets, webhooks themselves, and accepted inbound integration webhooks. */
export const WEBHOOK_EVENT_FAMILIES: readonly WebhookEventFamily[] = [
  ...RESOURCE_DEFINITIONS.map((r) => ({ type: r.type, label: r.eventFamily })),
  { type: "api_key", label: "API Key" },
  { type: "secret", label: "Secret" },
  { type: "webhook", label: "Webhook" },
  { type: "integration", label: "Inbound integration" },
];

export function isWebhookEventFamily(value: unknown): value is string {
  return typeof value === "string" && WEBHOOK_EVENT_FAMILIES.some((f) => f.type === value);
}

/** `prop.created` → `prop`. */
export function eventFamilyOf(eventType: string): string {
  const dot = eventType.indexOf(".");
  return dot < 0 ? eventType : eventType.slice(0, dot);
}

/** The event type an endpoint's "Send test event" sends; it reaches the endpoint whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = "webhook.test";
