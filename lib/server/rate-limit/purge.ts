import "server-only";
import type { Db } from "@/lib/server/db/client";
import { STALE_BUCKET_MS } from "./policies";

const PURGE_INTERVAL_MS = 10 * 60_000;
let lastPurge = 0;

/**
 * Delete buckets nobody touched for longer than any window or decay, unless
 * still locked: unauthenticated requests create buckets, and the table must
 * not grow without bound. Returns how many were deleted.
 */
export async function purgeStaleBuckets(db: Db, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - STALE_BUCKET_MS);
  const { count } = await db.rateLimitBucket.deleteMany({
    where: { updatedAt: { lt: cutoff }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
  });
  return count;
}

/** At most every ten minutes per process, in the background of an attempt. */
export function purgeStaleBucketsNow(db: Db): void {
  const now = Date.now();
  if (now - lastPurge < PURGE_INTERVAL_MS) return;
  lastPurge = now;
  purgeStaleBuckets(db).catch((error) => console.error("[gatehouse] rate-limit purge failed", error));
}
