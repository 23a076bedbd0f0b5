import "server-only";
import type { Db } from "@/lib/server/db/client";
import { computeAuditHash, GENESIS_HASH } from "./audit-hash";

/** The last event of a verified chain: saved by a reviewer, it proves later that nothing older was rewritten. */
export interface ChainHead {
  seq: number;
  hash: string;
  occurredAt: Date;
}

export interface ChainBreak {
  brokenAtSeq: number;
  reason: "hash_mismatch" | "link_mismatch" | "gap";
  /** The stored event at the break (for a gap: the event found where `brokenAtSeq` should be). */
  eventId: string;
  /** What the chain expected and what the row holds, so a reviewer sees the break precisely. */
  expected: string;
  found: string;
}

/** Where verification started: after the newest retention archive's cut (its head hash), or null from the genesis. */
export type ChainStart = { afterSeq: number; hash: string };

export type ChainVerification =
  | { ok: true; checked: number; head: ChainHead | null; start?: ChainStart }
  | ({ ok: false; checked: number; head: ChainHead | null; start?: ChainStart } & ChainBreak);

const BATCH = 500;

/**
 * Walk one chain in seq order and recompute every hash; reports the first
 * event that does not fit (altered, reordered, removed) and, when intact, the
 * chain's head. Reads in batches of 500 by seq (bounded memory at any size);
 * `onProgress` is told after each batch. `head` is the last event checked.
 * After retention pruned the chain, it starts from the newest archive's cut:
 * the first remaining event must link to the archived head hash (the archive
 * file itself is checked by verifyAuditArchiveFile).
 */
export async function verifyAuditChain(
  db: Db,
  chain: string,
  options: { onProgress?: (p: { checked: number; seq: number }) => void | Promise<void> } = {},
): Promise<ChainVerification> {
  const archive = await db.auditArchive.findFirst({ where: { chain }, orderBy: { cutSeq: "desc" }, select: { cutSeq: true, headHash: true } });
  // Only present after a prune, so a never-pruned chain's result is what it always was.
  const start = archive ? { start: { afterSeq: archive.cutSeq, hash: archive.headHash } } : {};
  let prevHash = archive?.headHash ?? GENESIS_HASH;
  let expectedSeq = (archive?.cutSeq ?? 0) + 1;
  let checked = 0;
  let head: ChainHead | null = null;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { chain, seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    if (batch.length === 0) return { ok: true, checked, head, ...start };
    for (const e of batch) {
      const broken = (reason: ChainBreak["reason"], brokenAtSeq: number, expected: string, found: string): ChainVerification => ({ ok: false, checked, head, ...start, brokenAtSeq, reason, eventId: e.id, expected, found });
      if (e.seq !== expectedSeq) return broken("gap", expectedSeq, `seq ${expectedSeq}`, `seq ${e.seq}`);
      if (e.prevHash !== prevHash) return broken("link_mismatch", e.seq, prevHash, e.prevHash);
      const recomputed = computeAuditHash(e);
      if (recomputed !== e.hash) return broken("hash_mismatch", e.seq, recomputed, e.hash);
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
      head = { seq: e.seq, hash: e.hash, occurredAt: e.occurredAt };
    }
    await options.onProgress?.({ checked, seq: expectedSeq - 1 });
  }
}
