import "server-only";
import type { Db } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

/**
 * Open a sudo window on a trusted session after the caller verified `factor`.
 * Any earlier window of the session is ended, so there is one grant at a time
 * and every sensitive action can name the grant that allowed it.
 */
export async function openSudo(db: Db, input: { sessionId: string; trustState: string; factor: string; actor: UserActor; organizationId: string | null }) {
  if (input.trustState !== "trusted") {
    throw new AppError("untrusted", "Restore trust in this session before entering sudo mode.");
  }
  const now = new Date();
  return db.$transaction(async (tx) => {
    await tx.sudoGrant.updateMany({ where: { sessionId: input.sessionId, endedAt: null }, data: { endedAt: now } });
    const grant = await tx.sudoGrant.create({
      data: {
        id: newId(),
        sessionId: input.sessionId,
        userId: input.actor.userId,
        factor: input.factor,
        createdAt: now,
        expiresAt: new Date(now.getTime() + getConfig().sudoTtlMs),
      },
    });
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "sudo.opened",
      resource: { type: "sudo_grant", id: grant.id, label: input.factor },
      outcome: "success",
      context: { ...auditByUser(input.actor).context, sudoGrantId: grant.id },
      metadata: { factor: input.factor, expires_at: grant.expiresAt.toISOString() },
    });
    return grant;
  });
}

/** Close the session's sudo window early ("exit sudo"). */
export async function exitSudo(db: Db, input: { sessionId: string; actor: UserActor; organizationId: string | null }) {
  await db.$transaction(async (tx) => {
    const ended = await tx.sudoGrant.updateMany({ where: { sessionId: input.sessionId, endedAt: null }, data: { endedAt: new Date() } });
    if (ended.count === 0) return;
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "sudo.exited",
      resource: { type: "session", id: input.actor.sessionPublicId },
      outcome: "success",
    });
  });
}
