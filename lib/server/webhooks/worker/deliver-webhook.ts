import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { webhookSignatureHeader } from "@/lib/webhooks/signature";
import { nextRetryDelayMs, parseRetryAfter } from "@/lib/webhooks/retry-schedule";
import { readHeaderMap } from "../endpoint-settings";
import { signingSecrets } from "../endpoint-secret";
import { disableWebhookEndpointInTx } from "../disable-webhook-endpoint";
import { sendWebhookRequest, type OutboundPolicy, type Resolver, type WebhookResponse } from "../send-webhook-request";
import type http from "node:http";
import type https from "node:https";

/** An endpoint failing without a single success for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * 86_400_000;
export const USER_AGENT = "Gatehouse-Webhooks/1.0";

export interface DeliveryContext {
  workerId: string;
  policy: OutboundPolicy;
  timeoutMs: number;
  resolver?: Resolver;
  agents?: { http: http.Agent; https: https.Agent };
  clock: () => Date;
  random: () => number;
}

function describe(result: WebhookResponse): string | null {
  if (result.kind === "response") return result.status >= 200 && result.status < 300 ? null : `The endpoint answered ${result.status}.`;
  if (result.kind === "timeout") return `Timed out: ${result.reason}.`;
  if (result.kind === "refused") return result.reason;
  return `Connection failed: ${result.reason}`;
}

/**
 * Send one delivery this worker has claimed, and record the attempt. The
 * result is written only while this worker still holds the claim, so a
 * worker that lost its lease (paused for longer than the lease) changes
 * nothing. Retries follow lib/webhooks/retry-schedule.ts; a manual
 * redelivery is tried once.
 */
export async function deliverClaimedWebhook(db: Db, deliveryId: string, ctx: DeliveryContext): Promise<void> {
  const delivery = await db.webhookDelivery.findFirst({ where: { id: deliveryId, lockedBy: ctx.workerId, status: "pending" } });
  if (!delivery) return;
  const [endpoint, event] = await Promise.all([
    db.webhookEndpoint.findUnique({ where: { id: delivery.endpointId } }),
    db.webhookEvent.findUnique({ where: { id: delivery.eventId } }),
  ]);
  const startedAt = ctx.clock();
  const giveUp = (lastError: string) =>
    db.webhookDelivery.updateMany({
      where: { id: delivery.id, lockedBy: ctx.workerId },
      data: { status: "failed", lastError, lockedBy: null, lockedUntil: null, completedAt: startedAt },
    });
  if (!endpoint || !event) return void (await giveUp("Not sent: the endpoint or the event no longer exists."));
  if (endpoint.status !== "active") return void (await giveUp(`Not sent: the endpoint is ${endpoint.status}.`));
  let secrets: string[];
  try {
    secrets = signingSecrets(endpoint, startedAt);
  } catch {
    return void (await giveUp("Not sent: the signing secret cannot be unsealed (was GATEHOUSE_MASTER_KEY changed?)."));
  }

  const timestamp = Math.floor(startedAt.getTime() / 1000);
  const custom = readHeaderMap(endpoint.headers);
  const headers: Record<string, string> = {
    ...custom,
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": event.id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": webhookSignatureHeader(secrets, event.id, timestamp, event.payload),
  };
  const result = await sendWebhookRequest({ url: endpoint.url, headers, body: event.payload, policy: ctx.policy, timeoutMs: ctx.timeoutMs, resolver: ctx.resolver, agents: ctx.agents });
  const finishedAt = ctx.clock();
  const error = describe(result);
  const attempt = delivery.attempts + 1;
  const status = result.kind === "response" ? result.status : null;

  // Custom header values may be credentials of the receiver: the history names them only.
  const recordedHeaders = { ...headers, ...Object.fromEntries(Object.keys(custom).map((k) => [k, "••••••"])) };
  let next: { status: "pending" | "succeeded" | "failed"; nextAttemptAt?: Date } = { status: "succeeded" };
  let disableReason: string | null = null;
  if (error !== null) {
    if (status === 410) {
      next = { status: "failed" };
      disableReason = "The endpoint answered 410 Gone.";
    } else {
      const failingSince = endpoint.failingSince ?? startedAt;
      if (finishedAt.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) {
        disableReason = `Every delivery failed since ${failingSince.toISOString()} (5 days); the last error: ${error}`;
      }
      const delay = delivery.manual
        ? null
        : nextRetryDelayMs(attempt, {
            retryAfterMs: result.kind === "response" ? parseRetryAfter(result.headers["retry-after"], finishedAt.getTime()) : null,
            overloaded: result.kind === "timeout" || status === 429,
            random: ctx.random(),
          });
      next = delay === null || disableReason ? { status: "failed" } : { status: "pending", nextAttemptAt: new Date(finishedAt.getTime() + delay) };
    }
  }

  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, lockedBy: ctx.workerId },
      data: {
        status: next.status,
        attempts: attempt,
        nextAttemptAt: next.nextAttemptAt ?? delivery.nextAttemptAt,
        lockedBy: null,
        lockedUntil: null,
        lastStatusCode: status,
        lastError: error,
        completedAt: next.status === "pending" ? null : finishedAt,
      },
    });
    // The lease ran out and another worker took the delivery over: its record wins.
    if (count !== 1) return;
    await tx.webhookAttempt.create({
      data: {
        id: newId(),
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        organizationId: endpoint.organizationId,
        attempt,
        startedAt,
        durationMs: result.durationMs,
        url: endpoint.url,
        requestHeaders: JSON.stringify(recordedHeaders),
        requestBody: event.payload,
        responseStatus: status,
        responseBody: result.kind === "response" ? result.body : null,
        error,
      },
    });
    if (error === null) {
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: { not: null } }, data: { failingSince: null } });
    } else {
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: null }, data: { failingSince: startedAt } });
      if (disableReason) await disableWebhookEndpointInTx(tx, endpoint.id, disableReason, finishedAt);
    }
  });
}
