import type { AuditListRow } from "@/lib/server/audit/search-audit-events";

/** A list row as the browser receives it (times as ISO strings). */
export type AuditRowView = Omit<AuditListRow, "occurredAt"> & { occurredAt: string };

export function toRowView(row: AuditListRow): AuditRowView {
  return { ...row, occurredAt: row.occurredAt.toISOString() };
}
