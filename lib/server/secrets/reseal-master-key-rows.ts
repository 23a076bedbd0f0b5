import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { masterKeyId } from "@/lib/crypto/envelope";
import { resealUnder } from "@/lib/server/sealed-box";
import { carryRecoveryCodeHash } from "@/lib/server/two-factor/recovery-codes";

export interface ResealProgress {
  /** Rows that hold something sealed or keyed by a master key (checked one by one). */
  total: number;
  checked: number;
  resealed: number;
  /** "<table>:<id>" of rows that open with no configured master key (left as they are). */
  failed: string[];
}

export interface ResealOptions {
  current: Buffer;
  previous: readonly Buffer[];
  actor: Actor;
  batchSize?: number;
  maxRows?: number;
  onProgress?: (p: ResealProgress) => void;
}

type Kind = "totp_secret" | "recovery_code" | "webhook_secret";

interface Table {
  kind: Kind;
  count: (db: Db) => Promise<number>;
  /** The next rows after `after` (by id), each with the organization its audit event goes to (null: the user's own, global chain). */
  page: (db: Db, after: string, take: number) => Promise<{ id: string; organizationId: string | null }[]>;
  /** Reseal one row if it needs it (conditional on the value read, so a change meanwhile wins); true when it was rewritten. */
  reseal: (tx: Db, id: string, current: Buffer, previous: readonly Buffer[]) => Promise<boolean>;
}

// The rows sealed (lib/server/sealed-box.ts) or keyed with the master key besides the vault's data keys.
const TABLES: Table[] = [
  {
    kind: "totp_secret",
    count: (db) => db.totpCredential.count(),
    page: async (db, after, take) => (await db.totpCredential.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take, select: { id: true } })).map((r) => ({ id: r.id, organizationId: null })),
    async reseal(tx, id, current, previous) {
      const row = await tx.totpCredential.findUnique({ where: { id }, select: { secretCiphertext: true } });
      if (!row) return false;
      const next = resealUnder(current, previous, "totp", id, row.secretCiphertext);
      if (next === null) return false;
      return (await tx.totpCredential.updateMany({ where: { id, secretCiphertext: row.secretCiphertext }, data: { secretCiphertext: next } })).count === 1;
    },
  },
  {
    kind: "recovery_code",
    count: (db) => db.recoveryCode.count({ where: { usedAt: null } }),
    page: async (db, after, take) => (await db.recoveryCode.findMany({ where: { id: { gt: after }, usedAt: null }, orderBy: { id: "asc" }, take, select: { id: true } })).map((r) => ({ id: r.id, organizationId: null })),
    async reseal(tx, id, current, previous) {
      const row = await tx.recoveryCode.findUnique({ where: { id }, select: { userId: true, codeHash: true, usedAt: true } });
      if (!row || row.usedAt) return false;
      const next = carryRecoveryCodeHash(current, previous, row.userId, row.codeHash);
      if (next === null) return false;
      return (await tx.recoveryCode.updateMany({ where: { id, codeHash: row.codeHash, usedAt: null }, data: { codeHash: next } })).count === 1;
    },
  },
  {
    kind: "webhook_secret",
    count: (db) => db.webhookEndpoint.count(),
    page: (db, after, take) => db.webhookEndpoint.findMany({ where: { id: { gt: after } }, orderBy: { id: "asc" }, take, select: { id: true, organizationId: true } }),
    async reseal(tx, id, current, previous) {
      const row = await tx.webhookEndpoint.findUnique({ where: { id }, select: { secret: true, previousSecret: true } });
      if (!row) return false;
      const secret = resealUnder(current, previous, "webhook-signing-secret", id, row.secret);
      const previousSecret = row.previousSecret ? resealUnder(current, previous, "webhook-signing-secret", id, row.previousSecret) : null;
      if (secret === null && previousSecret === null) return false;
      const { count } = await tx.webhookEndpoint.updateMany({
        where: { id, secret: row.secret, previousSecret: row.previousSecret },
        data: { ...(secret ? { secret } : {}), ...(previousSecret ? { previousSecret } : {}) },
      });
      return count === 1;
    },
  },
];

/**
 * The second half of `gatehouse vault rewrap`: everything else the master key
 * protects (TOTP secrets, the keys of recovery-code hashes, webhook signing
 * secrets) resealed under `current`. Each row is opened with the current key
 * first (then it is left alone), so a run is resumable and a second run finds
 * nothing to do; each batch commits on its own with `master_key.resealed`
 * audit events (per organization for webhook secrets; on the global chain for
 * users' 2FA material) that count rows, never contents.
 */
export async function resealMasterKeyRows(db: Db, { current, previous, actor, batchSize = 200, maxRows = Infinity, onProgress }: ResealOptions): Promise<ResealProgress> {
  const counts = await Promise.all(TABLES.map((t) => t.count(db)));
  const progress: ResealProgress = { total: counts.reduce((a, b) => a + b, 0), checked: 0, resealed: 0, failed: [] };
  const to = masterKeyId(current);
  for (const table of TABLES) {
    let after = "";
    while (progress.checked < maxRows) {
      const rows = await table.page(db, after, Math.min(batchSize, maxRows - progress.checked));
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      await db.$transaction(async (tx) => {
        const perOrg = new Map<string | null, number>();
        for (const row of rows) {
          try {
            if (await table.reseal(tx as unknown as Db, row.id, current, previous)) perOrg.set(row.organizationId, (perOrg.get(row.organizationId) ?? 0) + 1);
          } catch {
            progress.failed.push(`${table.kind}:${row.id}`);
          }
        }
        for (const [organizationId, count] of perOrg) {
          progress.resealed += count;
          await recordAuditEvent(
            tx,
            auditEventBy(actor, { organizationId, action: "master_key.resealed", resource: { type: "master_key", label: table.kind }, outcome: "success", metadata: { kind: table.kind, resealed: count, to_master: to } }),
          );
        }
      });
      progress.checked += rows.length;
      onProgress?.(progress);
    }
  }
  return progress;
}
