import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent, type AuditMetadata } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { generateWebhookSecret } from "@/lib/webhooks/signature";
import { webhookEndpointPatchSchema } from "@/lib/validations/webhooks";
import { parseEndpointInput, validateEndpointUrl } from "./create-webhook-endpoint";
import { findWebhookEndpointForUpdate } from "./find-webhook-endpoint";
import { sealEndpointSecret } from "./endpoint-secret";
import { readHeaderMap, readStringList } from "./endpoint-settings";
import { recordWebhookEvent } from "./record-webhook-event";
import { toPublicWebhookEndpoint, type PublicWebhookEndpoint } from "./public-webhook-endpoint";

interface Target {
  orgId: string;
  id: string;
  actor: Actor;
}

type EndpointRow = Awaited<ReturnType<typeof findWebhookEndpointForUpdate>>;

/** The audit event and the outbox event of one change to an endpoint, in its transaction. */
async function recordEndpointChange(tx: Tx, target: Target, row: EndpointRow, verb: string, metadata: AuditMetadata = {}) {
  await recordAuditEvent(
    tx,
    auditEventBy(target.actor, { organizationId: target.orgId, action: `webhook.${verb}`, resource: { type: "webhook", id: row.id, label: row.url }, outcome: "success", metadata }),
  );
  await recordWebhookEvent(tx, { organizationId: target.orgId, type: `webhook.${verb}`, resource: { type: "webhook", id: row.id }, data: toPublicWebhookEndpoint(row) });
}

/** Change an endpoint's URL, description, subscriptions or headers (keys left out stay). Audited with the changed settings' names. */
export async function updateWebhookEndpoint(db: Db, target: Target & { patch: unknown }): Promise<PublicWebhookEndpoint> {
  const patch = parseEndpointInput(webhookEndpointPatchSchema, target.patch);
  const url = patch.url === undefined ? undefined : validateEndpointUrl(patch.url);
  return db.$transaction(async (tx) => {
    const row = await findWebhookEndpointForUpdate(tx, target.orgId, target.id);
    const data: Record<string, string> = {};
    if (url !== undefined && url !== row.url) data.url = url;
    if (patch.description !== undefined && patch.description !== row.description) data.description = patch.description;
    if (patch.event_types !== undefined && JSON.stringify(patch.event_types) !== JSON.stringify(readStringList(row.eventTypes))) data.eventTypes = JSON.stringify(patch.event_types);
    if (patch.resource_ids !== undefined && JSON.stringify(patch.resource_ids) !== JSON.stringify(readStringList(row.resourceIds))) data.resourceIds = JSON.stringify(patch.resource_ids);
    if (patch.headers !== undefined && JSON.stringify(patch.headers) !== JSON.stringify(readHeaderMap(row.headers))) data.headers = JSON.stringify(patch.headers);
    if (Object.keys(data).length === 0) return toPublicWebhookEndpoint(row);
    const updated = await tx.webhookEndpoint.update({ where: { id: row.id }, data });
    await recordEndpointChange(tx, target, updated, "updated", { changed: Object.keys(data).join(",") });
    return toPublicWebhookEndpoint(updated);
  });
}

/**
 * Pause (nothing is queued for it while paused) or resume an endpoint.
 * Resuming also re-enables an endpoint Gatehouse disabled, clearing the
 * reason and the failure streak.
 */
export async function setWebhookEndpointPaused(db: Db, target: Target & { paused: boolean }): Promise<PublicWebhookEndpoint> {
  return db.$transaction(async (tx) => {
    const row = await findWebhookEndpointForUpdate(tx, target.orgId, target.id);
    if (target.paused && row.status === "paused") throw new AppError("conflict", "The endpoint is already paused.");
    if (!target.paused && row.status === "active") throw new AppError("conflict", "The endpoint is already active.");
    const updated = await tx.webhookEndpoint.update({
      where: { id: row.id },
      data: target.paused ? { status: "paused" } : { status: "active", disabledReason: null, disabledAt: null, failingSince: null },
    });
    if (target.paused) await tx.webhookDelivery.updateMany({ where: { endpointId: row.id, status: "pending" }, data: { status: "failed", lastError: "Not sent: the endpoint was paused.", completedAt: new Date() } });
    await recordEndpointChange(tx, target, updated, target.paused ? "paused" : "resumed", target.paused ? {} : { was: row.status });
    return toPublicWebhookEndpoint(updated);
  });
}

/** Delete an endpoint with its queue and history. Audited and announced as `webhook.deleted`. */
export async function deleteWebhookEndpoint(db: Db, target: Target): Promise<PublicWebhookEndpoint> {
  return db.$transaction(async (tx) => {
    const row = await findWebhookEndpointForUpdate(tx, target.orgId, target.id);
    await tx.webhookAttempt.deleteMany({ where: { endpointId: row.id } });
    await tx.webhookDelivery.deleteMany({ where: { endpointId: row.id } });
    await tx.webhookEndpoint.delete({ where: { id: row.id } });
    await recordEndpointChange(tx, target, row, "deleted");
    return toPublicWebhookEndpoint(row);
  });
}

export const MAX_SECRET_GRACE_HOURS = 7 * 24;

/**
 * Replace the signing secret. The old one keeps signing next to the new one
 * (two signatures in `webhook-signature`) for `graceHours` (0 to 7 days), so
 * receivers can switch without dropping a delivery. Returns the new secret, once.
 */
export async function rotateWebhookSecret(db: Db, target: Target & { graceHours: number }): Promise<{ endpoint: PublicWebhookEndpoint; secret: string }> {
  if (!Number.isFinite(target.graceHours) || target.graceHours < 0 || target.graceHours > MAX_SECRET_GRACE_HOURS) {
    throw new AppError("validation_failed", "The grace period is 0 to 7 days.", { fieldErrors: { grace_hours: ["0 to 168 hours."] } });
  }
  const secret = generateWebhookSecret();
  const now = new Date();
  const endpoint = await db.$transaction(async (tx) => {
    const row = await findWebhookEndpointForUpdate(tx, target.orgId, target.id);
    const updated = await tx.webhookEndpoint.update({
      where: { id: row.id },
      data: {
        secret: sealEndpointSecret(row.id, secret),
        previousSecret: target.graceHours > 0 ? row.secret : null,
        previousSecretExpiresAt: target.graceHours > 0 ? new Date(now.getTime() + target.graceHours * 3_600_000) : null,
      },
    });
    await recordEndpointChange(tx, target, updated, "secret_rotated", { grace_hours: target.graceHours });
    return toPublicWebhookEndpoint(updated, now);
  });
  return { endpoint, secret };
}
