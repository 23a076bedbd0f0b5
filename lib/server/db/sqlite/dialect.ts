import "server-only";
import type { Dialect } from "../dialect";
import { Prisma } from "../generated/sqlite/client";

/**
 * SQLite: every transaction already runs alone. In the process, the
 * serialised adapter lets one transaction at a time use the connection; across
 * processes on the same file, transactions begin IMMEDIATE and so hold the
 * database's single write lock from their first statement.
 */
export const sqliteDialect: Dialect = {
  async lockKeys() {},
  // SQLite serves one web instance: nobody else to tell.
  async notify() {},
  // The statement holds SQLite's single write lock from start to end, so two
  // workers (even in two processes on one file) cannot pick the same row.
  async claimWebhookDeliveries(db, { workerId, now, leaseUntil, limit }) {
    const rows = await db.$queryRaw<{ id: string }[]>`
      UPDATE "WebhookDelivery" SET "lockedBy" = ${workerId}, "lockedUntil" = ${leaseUntil}
      WHERE "id" IN (
        SELECT "id" FROM "WebhookDelivery"
        WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now} AND ("lockedUntil" IS NULL OR "lockedUntil" < ${now})
        ORDER BY "nextAttemptAt" LIMIT ${limit}
      )
      RETURNING "id"`;
    return rows.map((r) => r.id);
  },
  // Prisma stores DateTime as ISO 8601 text here; strftime reads it (offset included) and truncates in UTC.
  auditTimeBucket(unit) {
    return unit === "hour" ? Prisma.sql`strftime('%Y-%m-%dT%H:00:00.000Z', "occurredAt")` : Prisma.sql`strftime('%Y-%m-%dT00:00:00.000Z', "occurredAt")`;
  },
};
