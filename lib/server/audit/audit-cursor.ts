import "server-only";
import { createHash } from "node:crypto";
import { AUDIT_FILTER_KEYS, type AuditFilter } from "@/lib/validations/audit";
import { AppError } from "@/lib/server/errors";

/** A position in the newest-first order of (occurredAt, id): the next page holds what sorts strictly after it. */
export interface AuditPosition {
  occurredAt: Date;
  id: string;
}

/**
 * A digest of the filters a cursor was issued under: a cursor replayed under
 * other filters is refused instead of silently paging a different result.
 */
export function filterDigest(filter: AuditFilter): string {
  const canonical = AUDIT_FILTER_KEYS.map((k) => {
    const v = filter[k];
    return v instanceof Date ? v.toISOString() : (v ?? null);
  });
  return createHash("sha256").update(JSON.stringify(canonical)).digest("base64url").slice(0, 12);
}

/** `base64url("<ms>|<id>|<digest>")`: opaque to clients, stable across new events (it names a row position, not an offset). */
export function encodeAuditCursor(position: AuditPosition, filter: AuditFilter): string {
  return Buffer.from(`${position.occurredAt.getTime()}|${position.id}|${filterDigest(filter)}`).toString("base64url");
}

function invalidCursor(message: string) {
  return new AppError("validation_failed", message, { fieldErrors: { cursor: [message] } });
}

/** The position a cursor names; `validation_failed` (on `cursor`) when it is malformed or was issued under other filters. */
export function decodeAuditCursor(cursor: string, filter: AuditFilter): AuditPosition {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const ms = Number(parts[0]);
  if (parts.length !== 3 || !/^\d{1,15}$/.test(parts[0]) || !Number.isSafeInteger(ms) || !/^[\w-]{0,64}$/.test(parts[1])) {
    throw invalidCursor("The cursor is not one this server issued.");
  }
  if (parts[2] !== filterDigest(filter)) throw invalidCursor("The cursor belongs to other filters; start again from the first page.");
  return { occurredAt: new Date(ms), id: parts[1] };
}

/** Where "jump to date" starts: every event at or before `at` (an id that sorts before any real one). */
export function positionAt(at: Date): AuditPosition {
  return { occurredAt: new Date(at.getTime() + 1), id: "" };
}
