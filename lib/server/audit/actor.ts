import "server-only";
import type { RequestContext } from "@/lib/server/request-context";
import type { AuditEventInput } from "./record-audit-event";

/** A signed-in person acting through a session, as domain functions receive them. */
export interface UserActor {
  kind?: "user";
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

/**
 * A request authenticated by an API key: audited as `api_key`, or as `agent`
 * when the key was issued to an Agent, with the key id and the request id.
 * `ownerId` is the member whose role bounds the key.
 */
export interface ApiKeyActor {
  kind: "api_key";
  keyId: string;
  keyName: string;
  ownerId: string;
  agent: { id: string; name: string } | null;
  request: RequestContext;
  requestId: string;
}

/** Gatehouse itself, or the operator CLI on the server host. */
export interface SystemActor {
  kind: "system";
  label: string;
}

export type Actor = UserActor | ApiKeyActor | SystemActor;

/** The actor and context parts of an audit event for a user acting in a session. */
export function auditByUser(actor: UserActor): Pick<AuditEventInput, "actor" | "context"> {
  return {
    actor: { type: "user", id: actor.userId, label: actor.email },
    context: { ip: actor.request.ip, userAgent: actor.request.userAgent, sessionId: actor.sessionPublicId ?? null, sudoGrantId: actor.sudoGrantId ?? null },
  };
}

/**
 * A complete audit event by any actor: the actor and context fields come from
 * the actor; a request made with an API key also records its request id.
 */
export function auditEventBy(actor: Actor, event: Omit<AuditEventInput, "actor" | "context">): AuditEventInput {
  if (actor.kind === "api_key") {
    return {
      ...event,
      actor: actor.agent ? { type: "agent", id: actor.agent.id, label: actor.agent.name } : { type: "api_key", id: actor.keyId, label: actor.keyName },
      context: { ip: actor.request.ip, userAgent: actor.request.userAgent, apiKeyId: actor.keyId },
      metadata: { ...event.metadata, request_id: actor.requestId },
    };
  }
  if (actor.kind === "system") return { ...event, actor: { type: "system", label: actor.label } };
  return { ...event, ...auditByUser(actor) };
}

/** The user id behind an actor, for createdBy/updatedBy columns (the key's owner for API keys). */
export function actorUserId(actor: Actor): string | null {
  if (actor.kind === "api_key") return actor.ownerId;
  if (actor.kind === "system") return null;
  return actor.userId;
}
