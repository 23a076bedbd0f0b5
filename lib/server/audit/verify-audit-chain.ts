import "server-only";
import type { Db } from "@/lib/server/db/client";
import { computeAuditHash, GENESIS_HASH } from "./audit-hash";

export type ChainVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAtSeq: number; reason: "hash_mismatch" | "link_mismatch" | "gap" };

/** Walk one chain in order and recompute every hash; reports the first event that does not fit. */
export async function verifyAuditChain(db: Db, chain: string): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let cursor: number | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      where: { chain, ...(cursor !== undefined ? { seq: { gt: cursor } } : {}) },
      orderBy: { seq: "asc" },
      take: 500,
    });
    if (batch.length === 0) return { ok: true, checked };
    for (const e of batch) {
      if (e.seq !== expectedSeq) return { ok: false, checked, brokenAtSeq: expectedSeq, reason: "gap" };
      if (e.prevHash !== prevHash) return { ok: false, checked, brokenAtSeq: e.seq, reason: "link_mismatch" };
      if (computeAuditHash(e) !== e.hash) return { ok: false, checked, brokenAtSeq: e.seq, reason: "hash_mismatch" };
      prevHash = e.hash;
      expectedSeq += 1;
      checked += 1;
      cursor = e.seq;
    }
  }
}
