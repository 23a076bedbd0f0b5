import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { toPublicWebhookEndpoint, type PublicWebhookEndpoint } from "./public-webhook-endpoint";

export async function listWebhookEndpoints(db: Db, orgId: string): Promise<PublicWebhookEndpoint[]> {
  const rows = await db.webhookEndpoint.findMany({ where: { organizationId: orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return rows.map((r) => toPublicWebhookEndpoint(r));
}

export async function getWebhookEndpoint(db: Db, orgId: string, id: string): Promise<PublicWebhookEndpoint> {
  const row = await db.webhookEndpoint.findFirst({ where: { id, organizationId: orgId } });
  if (!row) throw new AppError("not_found", "That webhook endpoint does not exist.");
  return toPublicWebhookEndpoint(row);
}

export interface WebhookAttemptView {
  attempt: number;
  started_at: string;
  duration_ms: number;
  request_headers: Record<string, string>;
  request_body: string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  manual: boolean;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  completed_at: string | null;
  attempt_log: WebhookAttemptView[];
}

function parseHeaders(text: string): Record<string, string> {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
  } catch {
    return {};
  }
}

/**
 * An endpoint's deliveries, newest first, with every attempt (request
 * headers and body, response status and the first 4 KB of its body, error).
 * Filter by status and event type; keyset pagination on (createdAt, id).
 */
export async function listWebhookDeliveries(
  db: Db,
  { orgId, endpointId, status, eventType, limit = 50, cursor }: { orgId: string; endpointId: string; status?: string; eventType?: string; limit?: number; cursor?: string },
): Promise<{ data: WebhookDeliveryView[]; next_cursor: string | null }> {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, organizationId: orgId }, select: { id: true } });
  if (!endpoint) throw new AppError("not_found", "That webhook endpoint does not exist.");
  const after = cursor ? await db.webhookDelivery.findFirst({ where: { id: cursor, endpointId }, select: { id: true, createdAt: true } }) : null;
  const rows = await db.webhookDelivery.findMany({
    where: {
      endpointId,
      organizationId: orgId,
      ...(status ? { status } : {}),
      ...(eventType ? { eventType } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const attempts = await db.webhookAttempt.findMany({ where: { deliveryId: { in: page.map((d) => d.id) } }, orderBy: { attempt: "asc" } });
  return {
    data: page.map((d) => ({
      id: d.id,
      event_id: d.eventId,
      event_type: d.eventType,
      status: d.status,
      attempts: d.attempts,
      manual: d.manual,
      next_attempt_at: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
      last_status_code: d.lastStatusCode,
      last_error: d.lastError,
      created_at: d.createdAt.toISOString(),
      completed_at: d.completedAt?.toISOString() ?? null,
      attempt_log: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attempt: a.attempt,
          started_at: a.startedAt.toISOString(),
          duration_ms: a.durationMs,
          request_headers: parseHeaders(a.requestHeaders),
          request_body: a.requestBody,
          response_status: a.responseStatus,
          response_body: a.responseBody,
          error: a.error,
        })),
    })),
    next_cursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}
