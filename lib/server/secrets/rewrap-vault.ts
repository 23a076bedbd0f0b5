import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { masterKeyId, rewrapDataKey } from "@/lib/crypto/envelope";

export interface RewrapProgress {
  /** Rows wrapped by another master key when the run started. */
  total: number;
  rewrapped: number;
  /** Rows whose data key no configured master key opens (left as they are, named by id). */
  failed: string[];
}

export interface RewrapOptions {
  current: Buffer;
  /** Every key that may have wrapped a data key (the previous one; the current one is added). */
  previous: readonly Buffer[];
  actor: Actor;
  batchSize?: number;
  /** Stop after this many rows (a run cut short; the next run resumes where it stopped). */
  maxRows?: number;
  onProgress?: (p: RewrapProgress) => void;
}

/**
 * Master-key rotation: re-wrap every data key not yet wrapped by `current`.
 * Values are not re-encrypted (their data keys stay). Each batch commits on
 * its own with one `vault.rewrapped` audit event per organization, so an
 * interrupted run loses nothing and the next run resumes with what is left.
 * Each row is updated only if its wrapped key is still the one read (a value
 * saved meanwhile is already under `current`). Servers keep working during
 * the run because they open data keys with either master key.
 */
export async function rewrapVault(db: Db, { current, previous, actor, batchSize = 200, maxRows = Infinity, onProgress }: RewrapOptions): Promise<RewrapProgress> {
  const target = masterKeyId(current);
  const keys = [current, ...previous];
  // Values in an external backend (masterKeyId "external:…") have no data key here.
  const pending = { AND: [{ masterKeyId: { not: target } }, { NOT: { masterKeyId: { startsWith: "external:" } } }] };
  const progress: RewrapProgress = { total: await db.secret.count({ where: pending }), rewrapped: 0, failed: [] };
  let after = "";
  let seen = 0;
  while (seen < maxRows) {
    const rows = await db.secret.findMany({
      where: { ...pending, id: { gt: after } },
      orderBy: { id: "asc" },
      take: Math.min(batchSize, maxRows - seen),
      select: { id: true, organizationId: true, name: true, scopeKey: true, ciphertext: true, wrappedKey: true, masterKeyId: true },
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    seen += rows.length;
    await db.$transaction(async (tx) => {
      const perOrg = new Map<string, { count: number; from: Set<string> }>();
      for (const row of rows) {
        let next;
        try {
          next = rewrapDataKey(keys, current, { id: row.id, name: row.name, scopeKey: row.scopeKey }, row);
        } catch {
          progress.failed.push(row.id);
          continue;
        }
        const { count } = await tx.secret.updateMany({ where: { id: row.id, wrappedKey: row.wrappedKey }, data: next });
        if (count !== 1) continue;
        const entry = perOrg.get(row.organizationId) ?? { count: 0, from: new Set<string>() };
        entry.count += 1;
        entry.from.add(row.masterKeyId);
        perOrg.set(row.organizationId, entry);
      }
      for (const [orgId, { count, from }] of perOrg) {
        progress.rewrapped += count;
        await recordAuditEvent(
          tx,
          auditEventBy(actor, { organizationId: orgId, action: "vault.rewrapped", resource: { type: "vault", label: "db backend" }, outcome: "success", metadata: { rewrapped: count, from_master: [...from].join(","), to_master: target } }),
        );
      }
    });
    onProgress?.(progress);
  }
  return progress;
}
