import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { canManageMember, isRole, type Role } from "@/lib/permissions";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { invalidateKeysInTx, invalidateKeysLocally } from "@/lib/server/api-keys/verify-api-key";

interface ChangeRoleInput {
  orgId: string;
  actor: UserActor;
  actorRole: Role;
  membershipId: string;
  role: Role;
}

/**
 * Find a membership of `orgId` the actor may manage. A membership of another
 * organization is reported exactly like one that does not exist.
 */
export async function findManageableMembership(tx: Tx, orgId: string, membershipId: string, actorRole: Role) {
  const membership = await tx.membership.findFirst({
    where: { id: membershipId, organizationId: orgId },
    include: { user: { select: { email: true } } },
  });
  if (!membership || !isRole(membership.role)) throw new AppError("not_found", "That member does not exist.");
  if (!canManageMember(actorRole, membership.role)) {
    throw new AppError("forbidden", "Only owners can change or remove an owner.");
  }
  return { ...membership, role: membership.role };
}

/** Refuse to leave an organization without an owner. */
export async function assertNotLastOwner(tx: Tx, orgId: string, role: Role) {
  if (role !== "owner") return;
  const owners = await tx.membership.count({ where: { organizationId: orgId, role: "owner" } });
  if (owners <= 1) throw new AppError("last_owner", "An organization needs at least one owner. Make someone else an owner first.");
}

/**
 * Change a member's role. Their API keys are dropped from every instance's
 * verification cache, so the next request of each key is checked against
 * the new role (a key's effective permission is its scopes ∩ its owner's role).
 */
export async function changeMemberRole(db: Db, input: ChangeRoleInput) {
  const result = await db.$transaction(async (tx) => {
    const membership = await findManageableMembership(tx, input.orgId, input.membershipId, input.actorRole);
    if (!canManageMember(input.actorRole, input.role)) {
      throw new AppError("forbidden", `Your role cannot make someone ${input.role}.`);
    }
    if (membership.role === input.role) return membership;
    await assertNotLastOwner(tx, input.orgId, membership.role);
    const updated = await tx.membership.update({ where: { id: membership.id }, data: { role: input.role } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "member.role_changed",
      resource: { type: "membership", id: membership.id, label: membership.user.email },
      outcome: "success",
      metadata: { from: membership.role, to: input.role },
    });
    await invalidateKeysInTx(tx, [`owner:${membership.userId}`]);
    return updated;
  });
  invalidateKeysLocally(db, [`owner:${result.userId}`]);
  return result;
}
