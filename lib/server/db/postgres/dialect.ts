import "server-only";
import type { Dialect } from "../dialect";
import { Prisma } from "../generated/sqlite/client";

/**
 * PostgreSQL: transaction-scoped advisory locks on a 64-bit hash of each key.
 * They are released at commit or rollback, work for rows that do not exist
 * yet, and hold across every connection and instance on the database. A hash
 * collision only serialises two unrelated keys, never breaks correctness.
 */
export const postgresDialect: Dialect = {
  async lockKeys(tx, keys) {
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return;
    // One round trip; unnest keeps the array's (sorted) order, so locks are always taken in the same order.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${sorted}::text[]) AS k`;
  },
  // NOTIFY is transactional: delivered to listeners at commit, dropped on rollback.
  async notify(tx, channel, payload) {
    await tx.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
  },
  // SKIP LOCKED: concurrent claimers pass over rows another claim is taking
  // instead of waiting for it, and the outer UPDATE re-checks nothing stale.
  async claimWebhookDeliveries(db, { workerId, now, leaseUntil, limit }) {
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE "WebhookDelivery" SET "lockedBy" = ${workerId}, "lockedUntil" = ${leaseUntil}
      WHERE "id" IN (
        SELECT "id" FROM "WebhookDelivery"
        WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        ORDER BY "nextAttemptAt" LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"`;
    return rows.map((r) => r.id);
  },
  // "occurredAt" is timestamp(3) without time zone holding UTC, so date_trunc needs no zone.
  auditTimeBucket(unit) {
    return unit === "hour"
      ? Prisma.sql`to_char(date_trunc('hour', "occurredAt"), 'YYYY-MM-DD"T"HH24":00:00.000Z"')`
      : Prisma.sql`to_char(date_trunc('day', "occurredAt"), 'YYYY-MM-DD"T00:00:00.000Z"')`;
  },
};
