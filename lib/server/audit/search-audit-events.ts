import "server-only";
import { dbProvider, type Db } from "@/lib/server/db/client";
import { Prisma, type AuditEvent } from "@/lib/server/db/generated/sqlite/client";
import type { AuditFilter, AuditRangePreset } from "@/lib/validations/audit";
import { auditActionsMatching } from "@/lib/audit-filters";
import { encodeAuditCursor, type AuditPosition } from "./audit-cursor";

const RANGE_MS: Record<AuditRangePreset, number> = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
};

/** A list row: narrow columns; metadata and the chain fields are fetched per event (see get-audit-event). */
export interface AuditListRow {
  id: string;
  seq: number;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  resourceLabel: string | null;
  outcome: string;
  ip: string | null;
}

const FULL_COLUMNS = Prisma.sql`"id", "chain", "seq", "occurredAt", "organizationId", "actorType", "actorId", "actorLabel", "action", "resourceType", "resourceId", "resourceLabel", "outcome", "ip", "userAgent", "sessionId", "apiKeyId", "sudoGrantId", "metadata", "prevHash", "hash"`;
const LIST_COLUMNS = Prisma.sql`"id", "seq", "occurredAt", "actorType", "actorId", "actorLabel", "action", "resourceType", "resourceId", "resourceLabel", "outcome", "ip"`;

/** The time window a filter names: a preset counts back from `now`; `custom` (or bare from/to) is taken as given. */
export function auditTimeWindow(filter: AuditFilter, now: Date): { from?: Date; to?: Date } {
  if (filter.range && filter.range !== "custom") return { from: new Date(now.getTime() - RANGE_MS[filter.range]) };
  return { from: filter.from, to: filter.to };
}

/** `text` as a LIKE pattern that matches it anywhere, its own % _ and \ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The SQL condition of one organization's events under `filter` (raw SQL: a
 * row-value keyset and an escaped LIKE are what Prisma's query builder cannot
 * say). Every condition is an equality on an indexed column or a bound on
 * occurredAt, except free text, which also looks into labels, ids and metadata.
 */
export function auditWhereSql(db: Db, orgId: string, filter: AuditFilter, now = new Date()): Prisma.Sql {
  const and: Prisma.Sql[] = [Prisma.sql`"organizationId" = ${orgId}`];
  if (filter.actor_type) and.push(Prisma.sql`"actorType" = ${filter.actor_type}`);
  if (filter.actor) and.push(Prisma.sql`"actorId" = ${filter.actor}`);
  if (filter.action) and.push(Prisma.sql`"action" = ${filter.action}`);
  if (filter.resource_type) and.push(Prisma.sql`"resourceType" = ${filter.resource_type}`);
  if (filter.resource_id) and.push(Prisma.sql`"resourceId" = ${filter.resource_id}`);
  if (filter.outcome) and.push(Prisma.sql`"outcome" = ${filter.outcome}`);
  const window = auditTimeWindow(filter, now);
  if (window.from) and.push(Prisma.sql`"occurredAt" >= ${window.from}`);
  if (window.to) and.push(Prisma.sql`"occurredAt" <= ${window.to}`);
  if (filter.q) {
    // SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE.
    const like = dbProvider(db) === "postgres" ? Prisma.raw("ILIKE") : Prisma.raw("LIKE");
    const pattern = containsPattern(filter.q);
    const labelled = auditActionsMatching(filter.q);
    const text = [
      ...["action", "actorLabel", "resourceLabel", "ip", "metadata"].map((column) => Prisma.sql`${Prisma.raw(`"${column}"`)} ${like} ${pattern} ESCAPE '\\'`),
      Prisma.sql`"actorId" = ${filter.q}`,
      Prisma.sql`"resourceId" = ${filter.q}`,
      ...(labelled.length ? [Prisma.sql`"action" IN (${Prisma.join(labelled)})`] : []),
    ];
    and.push(Prisma.sql`(${Prisma.join(text, " OR ")})`);
  }
  return Prisma.join(and, " AND ");
}

export interface AuditPage<Row> {
  events: Row[];
  /** Opaque; absent on the last page. */
  nextCursor: string | null;
}

/**
 * One page of an organization's events, newest first, by keyset on
 * (occurredAt, id): the cost of a page does not grow with its depth, and
 * events that arrive while someone pages never shift or repeat rows (they
 * sort before the first page). No OFFSET, no COUNT.
 */
export async function searchAuditEvents(db: Db, orgId: string, filter: AuditFilter, options: PageOptions = {}): Promise<AuditPage<AuditListRow>> {
  return keysetPage<AuditListRow>(db, orgId, filter, options, LIST_COLUMNS);
}

/** The same page with every field of each event (the API and exports), in the same single keyset query. */
export async function searchAuditEventsFull(db: Db, orgId: string, filter: AuditFilter, options: PageOptions = {}): Promise<AuditPage<AuditEvent>> {
  return keysetPage<AuditEvent>(db, orgId, filter, options, FULL_COLUMNS);
}

interface PageOptions {
  after?: AuditPosition | null;
  limit?: number;
  now?: Date;
}

async function keysetPage<Row extends { occurredAt: Date; id: string }>(db: Db, orgId: string, filter: AuditFilter, options: PageOptions, columns: Prisma.Sql): Promise<AuditPage<Row>> {
  const limit = options.limit ?? 50;
  const where = auditWhereSql(db, orgId, filter, options.now);
  const keyset = options.after ? Prisma.sql` AND ("occurredAt", "id") < (${options.after.occurredAt}, ${options.after.id})` : Prisma.empty;
  const rows = await db.$queryRaw<Row[]>`SELECT ${columns} FROM "AuditEvent" WHERE ${where}${keyset} ORDER BY "occurredAt" DESC, "id" DESC LIMIT ${limit + 1}`;
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > limit && last ? encodeAuditCursor(last, filter) : null };
}
