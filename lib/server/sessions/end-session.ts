import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

/**
 * Sign a session out: delete its row (the browser's JWT then points at
 * nothing) and record it. A session that is already gone is a no-op.
 */
export async function endSession(db: Db, sessionId: string, reason: "sign_out" | "expired") {
  await db.$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionId }, include: { user: true } });
    if (!session) return;
    await tx.session.delete({ where: { id: sessionId } });
    if (reason !== "sign_out") return;
    await recordAuditEvent(tx, {
      organizationId: session.activeOrgId,
      actor: { type: "user", id: session.userId, label: session.user.email },
      action: "user.sign_out",
      resource: { type: "session", id: session.publicId, label: session.deviceLabel },
      outcome: "success",
      context: { ip: session.ip, userAgent: session.userAgent, sessionId: session.publicId },
    });
  });
}
