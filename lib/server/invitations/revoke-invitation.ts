import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

/** Revoke an open invitation of the actor's organization; the link stops working at once. */
export async function revokeInvitation(db: Db, input: { orgId: string; actor: UserActor; invitationId: string }) {
  return db.$transaction(async (tx) => {
    const revoked = await tx.invitation.updateMany({
      where: { id: input.invitationId, organizationId: input.orgId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count !== 1) throw new AppError("not_found", "That invitation does not exist or was already used.");
    const invitation = await tx.invitation.findUniqueOrThrow({ where: { id: input.invitationId } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "invitation.revoked",
      resource: { type: "invitation", id: invitation.id, label: invitation.email },
      outcome: "success",
    });
  });
}
