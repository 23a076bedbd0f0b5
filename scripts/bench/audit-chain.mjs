// Check one organization's audit chain from the rows themselves, as a reviewer
// would: seq runs 1..n without a gap, each event links to the hash of the one
// before (a second writer that read a stale head would fork it), and every
// hash recomputes (lib/audit-hash.ts, the function the server uses).
import { computeAuditHash, GENESIS_HASH } from "../../lib/audit-hash.ts";

/**
 * @param {import("./sql.mjs").Sql} sql
 * @param {string} chain  the organization id
 * @returns {Promise<{ events: number, gapAt: number | null, forkAt: number | null, badHashAt: number | null }>}
 */
export async function checkAuditChain(sql, chain) {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let gapAt = null;
  let forkAt = null;
  let badHashAt = null;
  let events = 0;
  for (;;) {
    const rows = await sql.all(`SELECT * FROM "AuditEvent" WHERE "chain" = ? AND "seq" >= ? ORDER BY "seq" ASC LIMIT 2000`, chain, expectedSeq);
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) gapAt ??= expectedSeq;
      if (row.prevHash !== prevHash) forkAt ??= seq;
      const recomputed = computeAuditHash({ ...row, seq, occurredAt: new Date(row.occurredAt) });
      if (recomputed !== row.hash) badHashAt ??= seq;
      prevHash = row.hash;
      expectedSeq = seq + 1;
      events += 1;
    }
  }
  return { events, gapAt, forkAt, badHashAt };
}
