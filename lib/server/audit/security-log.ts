import "server-only";
import type { AuditEventInput } from "./record-audit-event";

/**
 * Security events as structured JSON lines on the server output (ASVS V16):
 * every event that belongs to no organization (such as a refused sign-in for
 * an unknown email, which no organization's audit log shows) and every refused
 * or failed action, so an operator's log pipeline can alert on them. One line
 * per event; metadata never holds secrets (recordAuditEvent refuses such keys).
 */
export function shouldLogSecurityEvent(input: Pick<AuditEventInput, "organizationId" | "outcome">): boolean {
  return input.organizationId === null || input.outcome !== "success";
}

export function securityLogLine(input: AuditEventInput, occurredAt: Date): string {
  return JSON.stringify({
    time: occurredAt.toISOString(),
    level: input.outcome === "success" ? "info" : "warn",
    type: "gatehouse.security_event",
    action: input.action,
    outcome: input.outcome,
    organization_id: input.organizationId,
    actor_type: input.actor.type,
    actor_id: input.actor.id ?? null,
    actor_label: input.actor.label ?? null,
    resource_type: input.resource?.type ?? null,
    resource_id: input.resource?.id ?? null,
    ip: input.context?.ip ?? null,
    user_agent: input.context?.userAgent ?? null,
    metadata: input.metadata ?? {},
  });
}

export function logSecurityEvent(input: AuditEventInput, occurredAt: Date): void {
  if (process.env.SECURITY_LOG === "off") return;
  if (shouldLogSecurityEvent(input)) process.stdout.write(`${securityLogLine(input, occurredAt)}\n`);
}
