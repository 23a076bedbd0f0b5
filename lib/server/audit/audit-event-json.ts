import "server-only";
import type { AuditEvent } from "@/lib/server/db/generated/sqlite/client";
import { computeAuditHash } from "./audit-hash";

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One event as the API and the JSON Lines export show it (snake_case, metadata as an object, the chain fields included). */
export function auditEventJson(e: AuditEvent) {
  return {
    id: e.id,
    occurred_at: e.occurredAt.toISOString(),
    seq: e.seq,
    actor_type: e.actorType,
    actor_id: e.actorId,
    actor_label: e.actorLabel,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId,
    resource_label: e.resourceLabel,
    outcome: e.outcome,
    ip: e.ip,
    user_agent: e.userAgent,
    session_id: e.sessionId,
    api_key_id: e.apiKeyId,
    sudo_grant_id: e.sudoGrantId,
    metadata: parsed(e.metadata),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

/** Does the stored hash still match the stored fields? (A filtered export is not a contiguous chain, but each row can be checked.) */
export function auditRowHashMatches(e: AuditEvent): boolean {
  return computeAuditHash(e) === e.hash;
}
