import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { newId, sha256Hex } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { hashPassword } from "@/lib/server/auth/password";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { assignableRoles, isRole } from "@/lib/permissions";
import type { RequestContext } from "@/lib/server/request-context";

const INVALID = "This invitation link is not valid any more. Ask for a new one.";

type AcceptInput =
  | { kind: "new_user"; token: string; name: string; password: string; request: RequestContext }
  | { kind: "signed_in"; token: string; userId: string; sessionPublicId: string; request: RequestContext };

/**
 * Consume the invitation with a conditional update (exactly one caller can win
 * a given link), then add the membership and its audit event in the same
 * transaction. A signed-in user may only accept a link sent to their email.
 */
export async function acceptInvitation(db: Db, input: AcceptInput) {
  const passwordHash = input.kind === "new_user" ? await hashPassword(input.password) : null;
  const now = new Date();
  return db.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { tokenHash: sha256Hex(input.token) } });
    if (!invitation) throw new AppError("invitation_invalid", INVALID);

    const userId = await resolveUser(tx, input, invitation.email, passwordHash);
    const consumed = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedById: userId },
    });
    if (consumed.count !== 1) throw new AppError("invitation_invalid", INVALID);
    await assertInviterMayStillGrant(tx, invitation);

    const already = await tx.membership.findUnique({
      where: { userId_organizationId: { userId, organizationId: invitation.organizationId } },
    });
    if (already) throw new AppError("conflict", "You are already a member of this organization.");
    await tx.membership.create({
      data: { id: newId(), userId, organizationId: invitation.organizationId, role: invitation.role },
    });
    await recordAuditEvent(tx, {
      organizationId: invitation.organizationId,
      actor: { type: "user", id: userId, label: invitation.email },
      action: "invitation.accepted",
      resource: { type: "invitation", id: invitation.id, label: invitation.email },
      outcome: "success",
      context: { ip: input.request.ip, userAgent: input.request.userAgent, sessionId: input.kind === "signed_in" ? input.sessionPublicId : null },
      metadata: { role: invitation.role, new_account: input.kind === "new_user" },
    });
    return { orgId: invitation.organizationId, email: invitation.email };
  });
}

/**
 * The invitation carries the inviter's authority, so it is re-checked at
 * acceptance: an inviter who left the organization, or whose role can no
 * longer hand out the invited role, makes the link worthless.
 */
export async function assertInviterMayStillGrant(tx: Db | Tx, invitation: { organizationId: string; createdById: string; role: string }) {
  const inviter = await tx.membership.findUnique({
    where: { userId_organizationId: { userId: invitation.createdById, organizationId: invitation.organizationId } },
    select: { role: true },
  });
  if (!inviter || !isRole(inviter.role) || !isRole(invitation.role) || !assignableRoles(inviter.role).includes(invitation.role)) {
    throw new AppError("invitation_invalid", INVALID);
  }
}

async function resolveUser(tx: Tx, input: AcceptInput, email: string, passwordHash: string | null): Promise<string> {
  if (input.kind === "signed_in") {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user || user.email !== email) {
      throw new AppError("forbidden", `This invitation was sent to ${email}. Sign in with that account to accept it.`);
    }
    return user.id;
  }
  if (await tx.user.findUnique({ where: { email } })) {
    throw new AppError("conflict", "An account with this email already exists. Sign in to accept the invitation.");
  }
  const user = await tx.user.create({
    data: { id: newId(), email, name: input.name, passwordHash: passwordHash ?? "" },
  });
  return user.id;
}
