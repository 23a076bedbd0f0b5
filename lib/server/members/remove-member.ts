import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { Role } from "@/lib/permissions";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { revokeApiKeyInTx } from "@/lib/server/api-keys/revoke-api-key";
import { invalidateKeysLocally } from "@/lib/server/api-keys/verify-api-key";
import { assertNotLastOwner, findManageableMembership } from "./change-member-role";

interface RemoveMemberInput {
  orgId: string;
  actor: UserActor;
  actorRole: Role;
  membershipId: string;
}

/**
 * Remove a member from the organization (never its last owner), with their
 * team places. Every API key
 * they own in it is revoked in the same transaction, each with its own audit
 * event, and dropped from every instance's verification cache.
 */
export async function removeMember(db: Db, input: RemoveMemberInput) {
  const userId = await db.$transaction(async (tx) => {
    const membership = await findManageableMembership(tx, input.orgId, input.membershipId, input.actorRole);
    await assertNotLastOwner(tx, input.orgId, membership.role);
    await tx.membership.delete({ where: { id: membership.id } });
    // Team places go too: someone invited again later starts with no team (and sees no team secrets).
    await tx.teamMember.deleteMany({ where: { organizationId: input.orgId, userId: membership.userId } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "member.removed",
      resource: { type: "membership", id: membership.id, label: membership.user.email },
      outcome: "success",
      metadata: { role: membership.role },
    });
    const keys = await tx.apiKey.findMany({ where: { organizationId: input.orgId, ownerId: membership.userId, revokedAt: null }, select: { id: true } });
    for (const key of keys) {
      await revokeApiKeyInTx(tx, { keyId: key.id, orgId: input.orgId, actor: input.actor, reason: "owner removed from the organization", revokedById: input.actor.userId });
    }
    return membership.userId;
  });
  invalidateKeysLocally(db, [`owner:${userId}`]);
}
