// `npm run worker`: the webhook delivery worker as its own process, for
// deployments that run it apart from the web server (set WEBHOOKS_WORKER=false
// there). Any number may run against one PostgreSQL database; on SQLite, one
// worker process next to one web instance on the same file.
// Runs under tsx with `--conditions=react-server` so `server-only` imports load.
import { getConfig } from "@/lib/server/config";
import { createDb } from "@/lib/server/db/client";
import { createWebhookWorker } from "@/lib/server/webhooks/worker/webhook-worker";
import { startRotationNoticeTask } from "@/lib/server/secrets/rotation-notice-task";
import { startAuditMaintenance } from "@/lib/server/audit/run-audit-maintenance";

const config = getConfig();
const db = createDb(config.databaseUrl, { poolSize: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs });
const worker = createWebhookWorker(db, {
  policy: { allowHttp: config.webhooks.allowHttp, allowedPrivate: config.webhooks.allowedPrivate },
  timeoutMs: config.webhooks.timeoutMs,
  retentionDays: config.webhooks.retentionDays,
});
worker.start();
console.log(`[gatehouse] webhook worker ${worker.workerId} started`);
// Rotation notices (secret.rotation_due) run in the same process, once per window across processes.
const notices = startRotationNoticeTask(db);
// The daily audit maintenance (nightly chain check, retention), claimed per organization per day.
const maintenance = startAuditMaintenance(db);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[gatehouse] webhook worker stopping (${signal}): finishing deliveries in flight`);
    await Promise.all([worker.stop(), notices.stop(), maintenance.stop()]);
    await db.$disconnect();
    process.exit(0);
  });
}
