import "server-only";
import type { RequestContext } from "@/lib/server/request-context";
import type { AuditEventInput } from "./record-audit-event";

/** A signed-in person acting through a session, as domain functions receive them. */
export interface UserActor {
  userId: string;
  email: string;
  /** The session's secret id, for domain logic only: never shown or recorded. */
  sessionId: string | null;
  /** The session's public handle, recorded on audit events (absent for actors without a session). */
  sessionPublicId?: string | null;
  request: RequestContext;
  /** The sudo grant that allowed a sensitive action, linked from its audit event. */
  sudoGrantId?: string | null;
}

/** The actor and context parts of an audit event for a user acting in a session. */
export function auditByUser(actor: UserActor): Pick<AuditEventInput, "actor" | "context"> {
  return {
    actor: { type: "user", id: actor.userId, label: actor.email },
    context: { ip: actor.request.ip, userAgent: actor.request.userAgent, sessionId: actor.sessionPublicId ?? null, sudoGrantId: actor.sudoGrantId ?? null },
  };
}
