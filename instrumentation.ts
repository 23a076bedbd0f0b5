// Validate the configuration once at startup: a production server with unsafe
// settings refuses to start and names every problem. Then, on a fresh
// installation, print the one-time first-run setup link.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertConfigAtStartup } = await import("./lib/server/startup-check");
    assertConfigAtStartup();
    const { announceSetupLink } = await import("./lib/server/setup/announce-setup-link");
    await announceSetupLink();
    // The webhook delivery worker runs inside the server unless WEBHOOKS_WORKER=false (then `npm run worker`).
    const { getConfig } = await import("./lib/server/config");
    if (getConfig().webhooks.inProcessWorker) {
      const { getBackgroundDb } = await import("./lib/server/db/client");
      const { startWebhookWorker } = await import("./lib/server/webhooks/worker/start-webhook-worker");
      const worker = startWebhookWorker();
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void worker.stop());
      // Rotation notices (secret.rotation_due) run beside it, once per window whatever the number of processes.
      const { startRotationNoticeTask } = await import("./lib/server/secrets/rotation-notice-task");
      const notices = startRotationNoticeTask(getBackgroundDb());
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void notices.stop());
      // The daily audit maintenance (chain check, retention) rides with the background worker.
      const { startAuditMaintenance } = await import("./lib/server/audit/run-audit-maintenance");
      const maintenance = startAuditMaintenance(getBackgroundDb());
      for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void maintenance.stop());
    }
  }
}
