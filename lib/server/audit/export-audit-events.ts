import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { AuditFilter } from "@/lib/validations/audit";
import { auditFilterQuery } from "@/lib/validations/audit";
import { csvRow } from "@/lib/csv";
import { recordAuditEvent } from "./record-audit-event";
import { auditEventBy, type Actor } from "./actor";
import { searchAuditEventsFull } from "./search-audit-events";
import { auditEventJson, auditRowHashMatches } from "./audit-event-json";

export type AuditExportFormat = "csv" | "jsonl";

const CSV_COLUMNS = [
  "occurred_at", "id", "seq", "actor_type", "actor_id", "actor_label", "action", "resource_type", "resource_id", "resource_label",
  "outcome", "ip", "user_agent", "session_id", "api_key_id", "sudo_grant_id", "metadata", "prev_hash", "hash",
] as const;

const PAGE = 1000;

/**
 * The events of one organization under `filter`, newest first, as CSV (with a
 * header row, formula-like cells neutralised) or JSON Lines (one event a line,
 * then one summary line: how many rows, how many hashes recomputed right, the
 * chain head when the export started). Reads keyset pages of 1,000 rows on
 * demand, so memory stays flat however long the export is. The export itself
 * is recorded (by `actor`) before the first row.
 */
export async function exportAuditEvents(
  db: Db,
  orgId: string,
  filter: AuditFilter,
  format: AuditExportFormat,
  actor: Actor,
  now = new Date(),
): Promise<AsyncGenerator<string>> {
  const head = await db.auditEvent.findFirst({ where: { chain: orgId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const filters = auditFilterQuery(filter);
  await db.$transaction((tx) =>
    recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "audit.exported",
        resource: { type: "organization", id: orgId },
        outcome: "success",
        metadata: { format, filters, head_seq: head?.seq ?? null },
      }),
    ),
  );
  return rows(db, orgId, filter, format, now, head);
}

async function* rows(db: Db, orgId: string, filter: AuditFilter, format: AuditExportFormat, now: Date, head: { seq: number; hash: string } | null): AsyncGenerator<string> {
  if (format === "csv") yield csvRow(CSV_COLUMNS);
  let after = null;
  let count = 0;
  let verified = 0;
  const mismatches: string[] = [];
  for (;;) {
    const page = await searchAuditEventsFull(db, orgId, filter, { after, limit: PAGE, now });
    if (page.events.length === 0) break;
    let chunk = "";
    for (const e of page.events) {
      count += 1;
      if (auditRowHashMatches(e)) verified += 1;
      else if (mismatches.length < 100) mismatches.push(e.id);
      if (format === "csv") {
        const j = auditEventJson(e);
        chunk += csvRow([j.occurred_at, j.id, j.seq, j.actor_type, j.actor_id, j.actor_label, j.action, j.resource_type, j.resource_id, j.resource_label, j.outcome, j.ip, j.user_agent, j.session_id, j.api_key_id, j.sudo_grant_id, e.metadata, j.prev_hash, j.hash]);
      } else {
        chunk += `${JSON.stringify({ type: "event", ...auditEventJson(e) })}\n`;
      }
    }
    yield chunk;
    if (!page.nextCursor) break;
    const last = page.events.at(-1)!;
    after = { occurredAt: last.occurredAt, id: last.id };
  }
  if (format === "jsonl") {
    yield `${JSON.stringify({
      type: "summary",
      events: count,
      hashes_verified: verified,
      hash_mismatches: mismatches,
      chain_head_at_start: head ? { seq: head.seq, hash: head.hash } : null,
      filters: auditFilterQuery(filter),
      exported_at: now.toISOString(),
    })}\n`;
  }
}

/** A generator as a byte stream that reads its next chunk only when the consumer asks (backpressure). */
export function toByteStream(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

export function exportFileName(format: AuditExportFormat, now = new Date()): string {
  return `audit-events-${now.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.${format === "csv" ? "csv" : "jsonl"}`;
}

export const EXPORT_CONTENT_TYPE: Record<AuditExportFormat, string> = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson; charset=utf-8" };
