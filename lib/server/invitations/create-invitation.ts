import "server-only";
import type { Db } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { newId, randomToken, sha256Hex } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { assignableRoles, type Role } from "@/lib/permissions";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

interface CreateInvitationInput {
  orgId: string;
  actor: UserActor;
  actorRole: Role;
  email: string;
  role: Role;
}

/**
 * Create a one-time invitation link. Only the token's SHA-256 is stored; the
 * link is returned once. The inviter may only hand out roles they could assign.
 */
export async function createInvitation(db: Db, input: CreateInvitationInput) {
  if (!assignableRoles(input.actorRole).includes(input.role)) {
    throw new AppError("forbidden", `Your role cannot invite someone as ${input.role}.`);
  }
  const config = getConfig();
  const token = randomToken(32);
  return db.$transaction(async (tx) => {
    const existing = await tx.membership.findFirst({
      where: { organizationId: input.orgId, user: { email: input.email } },
    });
    if (existing) {
      throw new AppError("conflict", "That person is already a member.", {
        fieldErrors: { email: ["Already a member of this organization."] },
      });
    }
    const invitation = await tx.invitation.create({
      data: {
        id: newId(),
        organizationId: input.orgId,
        email: input.email,
        role: input.role,
        tokenHash: sha256Hex(token),
        expiresAt: new Date(Date.now() + config.invitationTtlMs),
        createdById: input.actor.userId,
      },
    });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "invitation.created",
      resource: { type: "invitation", id: invitation.id, label: invitation.email },
      outcome: "success",
      metadata: { role: invitation.role, expires_at: invitation.expiresAt.toISOString() },
    });
    return { invitation, url: `${config.publicUrl}/invite/${token}` };
  });
}
