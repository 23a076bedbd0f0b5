import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { Role } from "@/lib/permissions";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { assertNotLastOwner, findManageableMembership } from "./change-member-role";

interface RemoveMemberInput {
  orgId: string;
  actor: UserActor;
  actorRole: Role;
  membershipId: string;
}

/** Remove a member from the organization (never its last owner). */
export async function removeMember(db: Db, input: RemoveMemberInput) {
  return db.$transaction(async (tx) => {
    const membership = await findManageableMembership(tx, input.orgId, input.membershipId, input.actorRole);
    await assertNotLastOwner(tx, input.orgId, membership.role);
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "member.removed",
      resource: { type: "membership", id: membership.id, label: membership.user.email },
      outcome: "success",
      metadata: { role: membership.role },
    });
  });
}
