import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";

/**
 * Make a user's trusted sessions untrusted (all of them, or all but one), e.g.
 * after a password change or a removed second factor. Ends their sudo windows
 * too. Records one `session.untrusted` audit event per affected session.
 */
export async function markUserSessionsUntrusted(
  tx: Tx,
  input: { userId: string; exceptSessionId?: string | null; reason: string; organizationId: string | null },
) {
  const sessions = await tx.session.findMany({
    where: { userId: input.userId, trustState: "trusted", ...(input.exceptSessionId ? { id: { not: input.exceptSessionId } } : {}) },
    include: { user: { select: { email: true } } },
  });
  const now = new Date();
  for (const s of sessions) {
    await tx.session.update({ where: { id: s.id }, data: { trustState: "untrusted", trustReason: input.reason, trustChangedAt: now } });
    await tx.sudoGrant.updateMany({ where: { sessionId: s.id, endedAt: null }, data: { endedAt: now } });
    await recordAuditEvent(tx, {
      organizationId: s.activeOrgId ?? input.organizationId,
      actor: { type: "system", label: "Gatehouse" },
      action: "session.untrusted",
      resource: { type: "session", id: s.publicId, label: `${s.user.email} · ${s.deviceLabel}` },
      outcome: "success",
      context: { sessionId: s.publicId },
      metadata: { reason: input.reason },
    });
  }
  return sessions.length;
}
