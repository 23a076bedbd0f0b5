import "server-only";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Db } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { computeAuditHash, GENESIS_HASH, type HashedAuditFields } from "./audit-hash";
import { recordAuditEvent } from "./record-audit-event";
import { auditEventBy, type Actor } from "./actor";

const DAY = 86_400_000;
const BATCH = 1000;
export const ARCHIVE_FORMAT = "gatehouse.audit_archive.v1";

/** Where archives go: AUDIT_ARCHIVE_DIR, or data/audit-archive next to the default SQLite database. */
export function auditArchiveDir(): string {
  return path.resolve(process.env.AUDIT_ARCHIVE_DIR || path.join("data", "audit-archive"));
}

export interface PruneResult {
  archived: number;
  fromSeq: number;
  cutSeq: number;
  headHash: string;
  file: string;
}

type StoredFields = HashedAuditFields & { hash: string };

function fileLine(e: StoredFields): string {
  return `${JSON.stringify({ ...e, occurredAt: e.occurredAt.toISOString() })}\n`;
}

/**
 * Retention: archive, then delete, the events of an organization's chain
 * older than `retentionDays`, the only way audit events ever leave the
 * database. In order: the events up to the cut are read in seq order, checked
 * link by link (a broken chain is never archived away: that would destroy
 * the evidence) and written to a JSON Lines file (fsync'd, then renamed into
 * place); then, in one transaction, the AuditArchive row (which the database's
 * delete trigger requires), the delete, and an `audit.pruned` event. The
 * chain's newest event is always kept, so the chain goes on from it and
 * verification resumes from the archive's head hash. Null when nothing is old
 * enough.
 */
export async function pruneAuditEvents(
  db: Db,
  org: { id: string; name: string },
  options: { retentionDays: number; actor: Actor; now?: Date; archiveDir?: string },
): Promise<PruneResult | null> {
  if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) throw new AppError("validation_failed", "Retention must be a whole number of days.");
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * DAY);
  const chain = org.id;

  const [head, newestOld, lastArchive] = await Promise.all([
    db.auditEvent.findFirst({ where: { chain }, orderBy: { seq: "desc" }, select: { seq: true } }),
    db.auditEvent.findFirst({ where: { organizationId: org.id, occurredAt: { lt: cutoff } }, orderBy: [{ occurredAt: "desc" }, { id: "desc" }], select: { seq: true } }),
    db.auditArchive.findFirst({ where: { chain }, orderBy: { cutSeq: "desc" } }),
  ]);
  if (!head || !newestOld) return null;
  const fromSeq = (lastArchive?.cutSeq ?? 0) + 1;
  const cutSeq = Math.min(newestOld.seq, head.seq - 1);
  if (cutSeq < fromSeq) return null;

  // 1. The file, written beside its final name and renamed once complete.
  const dir = path.join(options.archiveDir ?? auditArchiveDir(), org.id);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = `audit-${org.id}-${String(fromSeq).padStart(10, "0")}-${String(cutSeq).padStart(10, "0")}.jsonl`;
  const file = path.join(dir, name);
  const partial = `${file}.partial-${newId().slice(0, 8)}`;
  const handle = await open(partial, "wx", 0o600);
  let prevHash = lastArchive?.headHash ?? GENESIS_HASH;
  let count = 0;
  try {
    await handle.write(`${JSON.stringify({ type: "header", format: ARCHIVE_FORMAT, organization_id: org.id, organization_name: org.name, chain, from_seq: fromSeq, cut_seq: cutSeq, prev_hash: prevHash, cutoff: cutoff.toISOString(), created_at: now.toISOString() })}\n`);
    for (let next = fromSeq; next <= cutSeq; ) {
      const batch = await db.auditEvent.findMany({ where: { chain, seq: { gte: next, lte: cutSeq } }, orderBy: { seq: "asc" }, take: BATCH });
      if (batch.length === 0) break;
      let text = "";
      for (const e of batch) {
        if (e.seq !== next || e.prevHash !== prevHash || computeAuditHash(e) !== e.hash) {
          throw new AppError("conflict", `The audit chain is broken at event #${next}; nothing was archived or deleted. Run "audit verify" and investigate first.`);
        }
        text += fileLine(e);
        prevHash = e.hash;
        next += 1;
        count += 1;
      }
      await handle.write(text);
    }
    if (count !== cutSeq - fromSeq + 1) throw new AppError("conflict", `The audit chain has a gap before event #${cutSeq}; nothing was archived or deleted.`);
    await handle.write(`${JSON.stringify({ type: "summary", count, head_seq: cutSeq, head_hash: prevHash })}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, file);

  // 2. The cut, the delete and its record, together.
  const headHash = prevHash;
  await db.$transaction(async (tx) => {
    await dialectOf(tx).lockKeys(tx, [`audit-chain:${chain}`]);
    await tx.auditArchive.create({ data: { id: newId(), chain, organizationId: org.id, fromSeq, cutSeq, headHash, cutOccurredAt: cutoff, eventCount: count, file: name } });
    await tx.auditEvent.deleteMany({ where: { chain, seq: { gte: fromSeq, lte: cutSeq } } });
    await recordAuditEvent(
      tx,
      auditEventBy(options.actor, {
        organizationId: org.id,
        action: "audit.pruned",
        resource: { type: "organization", id: org.id, label: org.name },
        outcome: "success",
        metadata: { retention_days: options.retentionDays, archived: count, from_seq: fromSeq, cut_seq: cutSeq, head_hash: headHash, file: name },
      }),
    );
  }, { timeout: 120_000 });
  return { archived: count, fromSeq, cutSeq, headHash, file };
}

interface ArchiveHeader {
  from_seq: number;
  cut_seq: number;
  prev_hash: string;
  chain: string;
}
interface ArchiveSummary {
  count: number;
  head_seq: number;
  head_hash: string;
}

export type ArchiveVerification =
  | { ok: true; count: number; fromSeq: number; headSeq: number; headHash: string; prevHash: string }
  | { ok: false; reason: string; line: number };

/**
 * Check an archive file on its own: the header, every event's hash and link
 * in seq order from the header's prev_hash, and the summary's count and head
 * (which must equal the head recorded in the database's AuditArchive row).
 */
export async function verifyAuditArchiveFile(file: string): Promise<ArchiveVerification> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let header = null as ArchiveHeader | null;
  let summary = null as ArchiveSummary | null;
  let prevHash = "";
  let expectedSeq = 0;
  let count = 0;
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (line.trim() === "") continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line);
    } catch {
      return { ok: false, reason: "not JSON", line: n };
    }
    if (summary) return { ok: false, reason: "content after the summary", line: n };
    if (n === 1) {
      if (row.type !== "header" || row.format !== ARCHIVE_FORMAT) return { ok: false, reason: "no archive header", line: n };
      header = row as unknown as ArchiveHeader;
      prevHash = header.prev_hash;
      expectedSeq = header.from_seq;
      continue;
    }
    if (row.type === "summary") {
      summary = row as unknown as ArchiveSummary;
      continue;
    }
    const e = { ...(row as unknown as StoredFields), occurredAt: new Date(String(row.occurredAt)) };
    if (e.chain !== header?.chain) return { ok: false, reason: "an event of another chain", line: n };
    if (e.seq !== expectedSeq) return { ok: false, reason: `expected event #${expectedSeq}, found #${e.seq}`, line: n };
    if (e.prevHash !== prevHash) return { ok: false, reason: `event #${e.seq} does not link to the event before it`, line: n };
    if (computeAuditHash(e) !== e.hash) return { ok: false, reason: `event #${e.seq} does not match its hash`, line: n };
    prevHash = e.hash;
    expectedSeq += 1;
    count += 1;
  }
  if (!header) return { ok: false, reason: "empty file", line: 0 };
  if (!summary) return { ok: false, reason: "no summary (the file is truncated)", line: n };
  if (summary.count !== count || summary.head_seq !== expectedSeq - 1 || summary.head_hash !== prevHash || header.cut_seq !== expectedSeq - 1) {
    return { ok: false, reason: "the summary does not match the events", line: n };
  }
  return { ok: true, count, fromSeq: header.from_seq, headSeq: summary.head_seq, headHash: summary.head_hash, prevHash: header.prev_hash };
}
