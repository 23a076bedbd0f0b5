// Pure (no database, no secrets): the server's audit code re-exports it from
// lib/server/audit/audit-hash.ts, and Node scripts (the benchmark's chain check) import it directly.
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);
export const GLOBAL_CHAIN = "_global";

/** The fields an event's hash covers, in a fixed order. */
export interface HashedAuditFields {
  id: string;
  chain: string;
  seq: number;
  occurredAt: Date;
  organizationId: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  resourceLabel: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
  sudoGrantId: string | null;
  metadata: string;
  prevHash: string;
}

/**
 * SHA-256 over the canonical JSON array of every field, including the previous
 * hash of the chain: altering, reordering or removing any event breaks every
 * hash after it.
 */
export function computeAuditHash(e: HashedAuditFields): string {
  const canonical = JSON.stringify([
    e.prevHash, e.id, e.chain, e.seq, e.occurredAt.toISOString(), e.organizationId,
    e.actorType, e.actorId, e.actorLabel, e.action, e.resourceType, e.resourceId,
    e.resourceLabel, e.outcome, e.ip, e.userAgent, e.sessionId, e.apiKeyId,
    e.sudoGrantId, e.metadata,
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
