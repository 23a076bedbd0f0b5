import "server-only";
import { dialectOf } from "@/lib/server/db/dialect";
import type { Tx } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { computeAuditHash, GENESIS_HASH, GLOBAL_CHAIN } from "./audit-hash";
import { logSecurityEvent } from "./security-log";

export type AuditActorType = "user" | "system" | "api_key" | "agent";
export type AuditOutcome = "success" | "denied" | "failure";
export type AuditMetadata = Record<string, string | number | boolean | null>;

export interface AuditEventInput {
  organizationId: string | null;
  actor: { type: AuditActorType; id?: string | null; label?: string | null };
  action: string;
  resource?: { type: string; id?: string | null; label?: string | null };
  outcome: AuditOutcome;
  context?: {
    ip?: string | null;
    userAgent?: string | null;
    sessionId?: string | null;
    apiKeyId?: string | null;
    sudoGrantId?: string | null;
  };
  metadata?: AuditMetadata;
}

// Metadata is for context, never for credentials: refuse keys that name one.
const FORBIDDEN_METADATA_KEY = /pass(word)?|secret|token|otp|totp|recovery|private|api_?key|^code$|value/i;
const ACTION_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$/;

/**
 * Append one event to its organization's hash chain, inside the caller's
 * transaction so the event exists exactly when the change it records does.
 * Invariants: (chain, seq) is unique, so two writers can never fork a chain;
 * metadata keys that name credentials are refused.
 */
export async function recordAuditEvent(tx: Tx, input: AuditEventInput) {
  if (!ACTION_PATTERN.test(input.action)) throw new Error(`audit action must be resource.verb, got "${input.action}"`);
  const metadata = input.metadata ?? {};
  for (const key of Object.keys(metadata)) {
    if (FORBIDDEN_METADATA_KEY.test(key)) throw new Error(`audit metadata key "${key}" looks like a secret`);
  }

  const chain = input.organizationId ?? GLOBAL_CHAIN;
  // Two writers appending to one chain at once would both read the same head;
  // the lock makes the second wait for the first's commit (on every instance).
  await dialectOf(tx).lockKeys(tx, [`audit-chain:${chain}`]);
  const last = await tx.auditEvent.findFirst({
    where: { chain },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });

  const fields = {
    id: newId(),
    chain,
    seq: (last?.seq ?? 0) + 1,
    occurredAt: new Date(),
    organizationId: input.organizationId,
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actorLabel: input.actor.label ?? null,
    action: input.action,
    resourceType: input.resource?.type ?? null,
    resourceId: input.resource?.id ?? null,
    resourceLabel: input.resource?.label ?? null,
    outcome: input.outcome,
    ip: input.context?.ip ?? null,
    userAgent: input.context?.userAgent ?? null,
    sessionId: input.context?.sessionId ?? null,
    apiKeyId: input.context?.apiKeyId ?? null,
    sudoGrantId: input.context?.sudoGrantId ?? null,
    metadata: JSON.stringify(metadata),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const event = await tx.auditEvent.create({ data: { ...fields, hash: computeAuditHash(fields) } });
  logSecurityEvent(input, fields.occurredAt);
  return event;
}
