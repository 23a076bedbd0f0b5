import "server-only";
import { getConfig } from "@/lib/server/config";
import type { Db } from "@/lib/server/db/client";
import { createWebhookWorker, type WebhookWorker } from "./webhook-worker";

const globalForWorker = globalThis as unknown as { gatehouseWebhookWorker?: WebhookWorker };

/**
 * Start the delivery worker with the configured policy (WEBHOOKS_*), once per
 * process (Next.js may load this module from several bundles). On SIGTERM or
 * SIGINT it stops claiming and lets the deliveries in flight finish; what it
 * had claimed but not started goes back to the queue.
 */
export function startWebhookWorker(db: Db): WebhookWorker {
  if (globalForWorker.gatehouseWebhookWorker) return globalForWorker.gatehouseWebhookWorker;
  const { webhooks } = getConfig();
  const worker = createWebhookWorker(db, {
    policy: { allowHttp: webhooks.allowHttp, allowedPrivate: webhooks.allowedPrivate },
    timeoutMs: webhooks.timeoutMs,
    retentionDays: webhooks.retentionDays,
  });
  globalForWorker.gatehouseWebhookWorker = worker;
  worker.start();
  return worker;
}
