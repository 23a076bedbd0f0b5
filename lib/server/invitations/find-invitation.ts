import "server-only";
import { assertInviterMayStillGrant } from "./accept-invitation";
import type { Db } from "@/lib/server/db/client";
import { sha256Hex } from "@/lib/server/crypto";

export type InvitationLookup =
  | { status: "valid"; invitation: { id: string; email: string; role: string; orgName: string; expiresAt: Date }; hasAccount: boolean }
  | { status: "invalid" };

/**
 * Look an invitation up by the token in its link. Unknown, used, revoked and
 * expired links all answer the same "invalid" so a link reveals nothing.
 */
export async function findInvitationByToken(db: Db, token: string, now = new Date()): Promise<InvitationLookup> {
  if (token.length < 16 || token.length > 128) return { status: "invalid" };
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { organization: true },
  });
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= now) return { status: "invalid" };
  try {
    await assertInviterMayStillGrant(db, invitation);
  } catch {
    return { status: "invalid" };
  }
  const hasAccount = (await db.user.count({ where: { email: invitation.email } })) > 0;
  return {
    status: "valid",
    hasAccount,
    invitation: {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      orgName: invitation.organization.name,
      expiresAt: invitation.expiresAt,
    },
  };
}
