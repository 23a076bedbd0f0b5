import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { teamNotFound } from "./team-errors";

export interface SetTeamMemberInput {
  orgId: string;
  teamId: string;
  userId: string;
  member: boolean;
  actor: Actor;
}

/**
 * Add a member of the organization to a team, or take them out; audited.
 * The team and the person must both belong to the organization (a foreign id
 * is not_found). Adding twice or removing someone absent is a no-op, not audited.
 */
export async function setTeamMember(db: Db, { orgId, teamId, userId, member, actor }: SetTeamMemberInput) {
  return db.$transaction(async (tx) => {
    const team = await tx.team.findFirst({ where: { id: teamId, organizationId: orgId }, select: { id: true, name: true } });
    if (!team) throw teamNotFound();
    const membership = await tx.membership.findFirst({ where: { organizationId: orgId, userId }, select: { user: { select: { email: true } } } });
    if (!membership) throw new AppError("not_found", "That person is not a member of this organization.");
    let changed: boolean;
    if (member) {
      // Checked first: a unique violation would abort the transaction on PostgreSQL.
      const existing = await tx.teamMember.findFirst({ where: { teamId: team.id, userId }, select: { id: true } });
      changed = !existing;
      if (changed) await tx.teamMember.create({ data: { id: newId(), organizationId: orgId, teamId: team.id, userId } });
    } else {
      changed = (await tx.teamMember.deleteMany({ where: { teamId: team.id, userId } })).count > 0;
    }
    if (changed) {
      await recordAuditEvent(
        tx,
        auditEventBy(actor, {
          organizationId: orgId,
          action: member ? "team.member_added" : "team.member_removed",
          resource: { type: "team", id: team.id, label: team.name },
          outcome: "success",
          metadata: { member: membership.user.email },
        }),
      );
    }
    return { changed };
  });
}
