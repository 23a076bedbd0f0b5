import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { getConfig } from "@/lib/server/config";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { checkOutboundUrl, checkOutboundAddress } from "@/lib/net/outbound-address";
import { isIP } from "node:net";
import { generateWebhookSecret } from "@/lib/webhooks/signature";
import { webhookEndpointInputSchema } from "@/lib/validations/webhooks";
import { sealEndpointSecret } from "./endpoint-secret";
import { recordWebhookEvent } from "./record-webhook-event";
import { toPublicWebhookEndpoint, type PublicWebhookEndpoint } from "./public-webhook-endpoint";

function fieldErrorsOf(error: { issues: { path: PropertyKey[]; message: string }[] }): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return out;
}

/**
 * The URL as it will be used: https (unless WEBHOOKS_ALLOW_HTTP), and not an
 * IP literal in a refused range. Names are resolved and checked at every
 * delivery, not here (DNS can change in between).
 */
export function validateEndpointUrl(raw: string): string {
  const { webhooks } = getConfig();
  const checked = checkOutboundUrl(raw, { allowHttp: webhooks.allowHttp });
  if (!checked.ok) throw new AppError("validation_failed", checked.reason, { fieldErrors: { url: [checked.reason] } });
  if (isIP(checked.host) !== 0) {
    const verdict = checkOutboundAddress(checked.host, webhooks.allowedPrivate);
    if (!verdict.ok) throw new AppError("validation_failed", `Refused: ${verdict.reason}`, { fieldErrors: { url: [`Refused: ${verdict.reason}`] } });
  }
  return checked.url.toString();
}

export function parseEndpointInput<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    throw new AppError("validation_failed", Object.values(fieldErrors)[0]?.[0] ?? "Check the endpoint's settings.", { fieldErrors });
  }
  return parsed.data;
}

/**
 * Create an endpoint. The signing secret is generated here, sealed at rest
 * and returned once. Audited, and announced as `webhook.created`.
 */
export async function createWebhookEndpoint(db: Db, { orgId, actor, input }: { orgId: string; actor: Actor; input: unknown }): Promise<{ endpoint: PublicWebhookEndpoint; secret: string }> {
  const data = parseEndpointInput(webhookEndpointInputSchema, input);
  const url = validateEndpointUrl(data.url);
  const secret = generateWebhookSecret();
  const id = newId();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId: orgId,
        url,
        description: data.description,
        eventTypes: JSON.stringify(data.event_types),
        resourceIds: JSON.stringify(data.resource_ids),
        headers: JSON.stringify(data.headers),
        secret: sealEndpointSecret(id, secret),
        createdById: actorUserId(actor),
      },
    });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "webhook.created",
        resource: { type: "webhook", id, label: url },
        outcome: "success",
        metadata: { event_types: data.event_types.join(" ") || "all", resources: data.resource_ids.length },
      }),
    );
    await recordWebhookEvent(tx, { organizationId: orgId, type: "webhook.created", resource: { type: "webhook", id }, data: toPublicWebhookEndpoint(created) });
    return created;
  });
  return { endpoint: toPublicWebhookEndpoint(row), secret };
}
