import "server-only";
import type { Db } from "@/lib/server/db/client";
import { dialectOf, type AuditBucketUnit } from "@/lib/server/db/dialect";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import type { AuditFilter } from "@/lib/validations/audit";
import { auditTimeWindow, auditWhereSql } from "./search-audit-events";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Up to this span the chart counts per hour (a "7d" preset is 168 hourly bars); beyond it per day. */
const HOURLY_UP_TO = 7 * DAY + HOUR;
/** At most this many daily buckets; a longer window shows its most recent part (`clipped`). */
export const MAX_DAILY_BUCKETS = 366;
/** A filter without a lower time bound is charted over at most its last 90 days (the cost stays bounded at millions of events). */
export const OPEN_WINDOW_DAYS = 90;

export interface AuditActivityBucket {
  /** ISO start of the UTC hour or day. */
  start: string;
  success: number;
  denied: number;
  failure: number;
}

export interface AuditActivity {
  unit: AuditBucketUnit;
  from: Date;
  to: Date;
  /** Every bucket of the window in order, empty ones included (at most 169 hourly or 366 daily). */
  buckets: AuditActivityBucket[];
  total: number;
  /** The filter's window was longer than the chart shows; `from` is where the chart starts. */
  clipped: boolean;
}

function floorTo(date: Date, unit: AuditBucketUnit): Date {
  const d = new Date(date);
  d.setUTCMinutes(0, 0, 0);
  if (unit === "day") d.setUTCHours(0);
  return d;
}

/**
 * Events per hour or day under the same filter as the list, by outcome,
 * counted by the database (GROUP BY over the filter's indexed range), never
 * from a loaded page. Without a lower time bound the window starts at the
 * oldest matching event (one index lookup), at most 90 days back; an explicit
 * range is charted in full up to 366 days. The bucket count is capped.
 */
export async function countAuditActivity(db: Db, orgId: string, filter: AuditFilter, options: { now?: Date } = {}): Promise<AuditActivity | null> {
  const now = options.now ?? new Date();
  const window = auditTimeWindow(filter, now);
  const where = auditWhereSql(db, orgId, filter, now);
  let from = window.from;
  const to = window.to ?? now;
  let clipped = false;
  if (!from) {
    const [oldest] = await db.$queryRaw<{ occurredAt: Date }[]>`SELECT "occurredAt" FROM "AuditEvent" WHERE ${where} ORDER BY "occurredAt" ASC, "id" ASC LIMIT 1`;
    if (!oldest) return null;
    from = new Date(oldest.occurredAt);
    const openStart = floorTo(new Date(to.getTime() - (OPEN_WINDOW_DAYS - 1) * DAY), "day");
    if (from < openStart) {
      from = openStart;
      clipped = true;
    }
  }
  if (from.getTime() > to.getTime()) return null;
  const unit: AuditBucketUnit = to.getTime() - from.getTime() <= HOURLY_UP_TO ? "hour" : "day";
  let firstBucket = floorTo(from, unit);
  const lastBucket = floorTo(to, unit);
  if (unit === "day" && (lastBucket.getTime() - firstBucket.getTime()) / DAY >= MAX_DAILY_BUCKETS) {
    firstBucket = new Date(lastBucket.getTime() - (MAX_DAILY_BUCKETS - 1) * DAY);
    clipped = true;
  }
  const bucket = dialectOf(db).auditTimeBucket(unit);
  const clip = clipped ? Prisma.sql` AND "occurredAt" >= ${firstBucket}` : Prisma.empty;
  const rows = await db.$queryRaw<{ bucket: string; outcome: string; n: bigint | number }[]>`
    SELECT ${bucket} AS "bucket", "outcome", COUNT(*) AS "n" FROM "AuditEvent"
    WHERE ${where}${clip} GROUP BY 1, 2`;

  const step = unit === "hour" ? HOUR : DAY;
  const byStart = new Map<string, AuditActivityBucket>();
  const buckets: AuditActivityBucket[] = [];
  for (let t = firstBucket.getTime(); t <= lastBucket.getTime(); t += step) {
    const b = { start: new Date(t).toISOString(), success: 0, denied: 0, failure: 0 };
    byStart.set(b.start, b);
    buckets.push(b);
  }
  let total = 0;
  for (const row of rows) {
    const b = byStart.get(row.bucket);
    const n = Number(row.n);
    if (!b || !(row.outcome === "success" || row.outcome === "denied" || row.outcome === "failure")) continue;
    b[row.outcome] += n;
    total += n;
  }
  return { unit, from: firstBucket, to, buckets, total, clipped };
}
