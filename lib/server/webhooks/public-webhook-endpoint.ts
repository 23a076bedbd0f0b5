import "server-only";
import { readHeaderMap, readStringList } from "./endpoint-settings";

export type WebhookEndpointStatus = "active" | "paused" | "disabled";

/** An endpoint as the console, the API and webhook events show it: never its secret, header names but not values. */
export interface PublicWebhookEndpoint {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  resource_ids: string[];
  header_names: string[];
  status: WebhookEndpointStatus;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  secret_rotating_until: string | null;
  created_at: string;
  updated_at: string;
}

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  eventTypes: string;
  resourceIds: string;
  headers: string;
  status: string;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toPublicWebhookEndpoint(row: EndpointRow, now = new Date()): PublicWebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: readStringList(row.eventTypes),
    resource_ids: readStringList(row.resourceIds),
    header_names: Object.keys(readHeaderMap(row.headers)),
    status: row.status === "paused" || row.status === "disabled" ? row.status : "active",
    disabled_reason: row.disabledReason,
    disabled_at: row.disabledAt?.toISOString() ?? null,
    failing_since: row.failingSince?.toISOString() ?? null,
    secret_rotating_until: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt.toISOString() : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
