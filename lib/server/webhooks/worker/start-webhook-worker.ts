import "server-only";
import { getConfig } from "@/lib/server/config";
import { getBackgroundDb } from "@/lib/server/db/client";
import { createWebhookWorker, type WebhookWorker } from "./webhook-worker";

const globalForWorker = globalThis as unknown as { gatehouseWebhookWorker?: WebhookWorker };

/**
 * Start the delivery worker with the configured policy (WEBHOOKS_*), once per
 * process (Next.js may load this module from several bundles). On SIGTERM or
 * SIGINT it stops claiming and lets the deliveries in flight finish; what it
 * had claimed but not started goes back to the queue.
 *
 * It uses the background tasks' client (getBackgroundDb): on PostgreSQL a
 * small pool that does not report outages, so a poll failing in the
 * background is not what switches the web server into its outage answers (the
 * console's own requests discover an outage, and its pages then recover in
 * place); the worker reads the flag and backs off all the same.
 */
export function startWebhookWorker(): WebhookWorker {
  if (globalForWorker.gatehouseWebhookWorker) return globalForWorker.gatehouseWebhookWorker;
  const config = getConfig();
  const { webhooks } = config;
  const db = getBackgroundDb();
  const worker = createWebhookWorker(db, {
    policy: { allowHttp: webhooks.allowHttp, allowedPrivate: webhooks.allowedPrivate },
    timeoutMs: webhooks.timeoutMs,
    retentionDays: webhooks.retentionDays,
  });
  globalForWorker.gatehouseWebhookWorker = worker;
  worker.start();
  return worker;
}
