import "server-only";
import { dbProvider, type Db, type Tx } from "./client";
import type { Prisma } from "./generated/sqlite/client";
import { sqliteDialect } from "./sqlite/dialect";
import { postgresDialect } from "./postgres/dialect";

/**
 * The provider-specific SQL of Gatehouse, behind one interface: one small
 * module per provider (lib/server/db/sqlite/dialect.ts, …/postgres/dialect.ts).
 * Everything else is provider-neutral Prisma.
 */
export interface Dialect {
  /**
   * Serialise every transaction that locks any of `keys` until this
   * transaction ends (commit or rollback), across connections, processes and
   * instances. Used for read-then-write sequences such as appending to an
   * audit chain or reserving a rate-limit attempt. Keys are taken in sorted
   * order, so two transactions locking overlapping sets cannot deadlock.
   */
  lockKeys(tx: Tx, keys: readonly string[]): Promise<void>;
  /**
   * Tell every other instance `payload` on `channel` once this transaction
   * commits (nothing if it rolls back). A no-op where one instance is all
   * there is (SQLite).
   */
  notify(tx: Tx, channel: string, payload: string): Promise<void>;
  /**
   * Claim up to `limit` due webhook deliveries for `workerId` until
   * `leaseUntil`: pending, due at `now`, and not leased (or leased until
   * before `now`, so a killed worker's claims come back). One statement; no
   * two callers ever get the same row while its lease runs, on any instance.
   */
  claimWebhookDeliveries(db: Db, claim: WebhookClaim): Promise<string[]>;
  /**
   * An SQL expression naming the UTC hour or day that "occurredAt" falls in,
   * as ISO text of the bucket's start ("2026-11-27T13:00:00.000Z"), for
   * GROUP BY in the audit activity chart.
   */
  auditTimeBucket(unit: AuditBucketUnit): Prisma.Sql;
}

export type AuditBucketUnit = "hour" | "day";

export interface WebhookClaim {
  workerId: string;
  now: Date;
  leaseUntil: Date;
  limit: number;
}

export function dialectOf(db: Db | Tx): Dialect {
  return dbProvider(db) === "postgres" ? postgresDialect : sqliteDialect;
}
