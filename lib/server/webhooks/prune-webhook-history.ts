import "server-only";
import type { Db } from "@/lib/server/db/client";

/**
 * Delete delivery history older than `before` (WEBHOOKS_RETENTION_DAYS):
 * attempts, finished deliveries, and events none of whose deliveries is
 * still pending. Pending work is never pruned.
 */
export async function pruneWebhookHistory(db: Db, before: Date): Promise<{ attempts: number; deliveries: number; events: number }> {
  const attempts = await db.webhookAttempt.deleteMany({ where: { startedAt: { lt: before } } });
  const deliveries = await db.webhookDelivery.deleteMany({ where: { createdAt: { lt: before }, status: { not: "pending" } } });
  const pending = await db.webhookDelivery.findMany({ where: { status: "pending", createdAt: { lt: before } }, select: { eventId: true }, distinct: ["eventId"] });
  const events = await db.webhookEvent.deleteMany({ where: { createdAt: { lt: before }, id: { notIn: pending.map((p) => p.eventId) } } });
  return { attempts: attempts.count, deliveries: deliveries.count, events: events.count };
}
