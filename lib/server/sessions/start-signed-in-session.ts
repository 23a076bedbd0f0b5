import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent, type AuditMetadata } from "@/lib/server/audit/record-audit-event";
import type { RequestContext } from "@/lib/server/request-context";
import { createSession, type TrustState } from "./create-session";
import { rememberDevice } from "@/lib/server/rate-limit/attempts";

interface SignedInInput {
  user: { id: string; email: string };
  orgId: string | null;
  request: RequestContext;
  trustState: TrustState;
  trustReason: string;
  trustFactor: string;
  /** How the user signed in (method, key name…), recorded on the `user.sign_in` event. */
  metadata: AuditMetadata;
}

/** The end of every successful sign-in: the Session row and its `user.sign_in` event, in one transaction. */
export function startSignedInSession(db: Db, input: SignedInInput): Promise<{ sessionId: string }> {
  return db.$transaction(async (tx) => {
    const session = await createSession(tx, {
      userId: input.user.id,
      activeOrgId: input.orgId,
      context: input.request,
      trustState: input.trustState,
      trustReason: input.trustReason,
      trustFactor: input.trustFactor,
    });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      actor: { type: "user", id: input.user.id, label: input.user.email },
      action: "user.sign_in",
      resource: { type: "session", id: session.publicId, label: session.deviceLabel },
      outcome: "success",
      context: { ip: input.request.ip, userAgent: input.request.userAgent, sessionId: session.publicId },
      metadata: input.metadata,
    });
    // A browser that fully signed in is a known device from now on (rate limits).
    if (input.trustState === "trusted") await rememberDevice(tx, input.user.id, input.request.deviceToken);
    return { sessionId: session.id };
  });
}
