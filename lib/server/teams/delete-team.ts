import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { teamNotFound } from "./team-errors";

/**
 * Delete a team with its workspaces and memberships. Refused (conflict) while
 * the team or one of its workspaces still holds secrets: deleting a scope must
 * never silently destroy credentials.
 */
export async function deleteTeam(db: Db, { orgId, teamId, actor }: { orgId: string; teamId: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const team = await tx.team.findFirst({ where: { id: teamId, organizationId: orgId }, include: { workspaces: { select: { id: true } } } });
    if (!team) throw teamNotFound();
    const secrets = await tx.secret.count({ where: { organizationId: orgId, OR: [{ teamId: team.id }, { workspaceId: { in: team.workspaces.map((w) => w.id) } }] } });
    if (secrets > 0) throw new AppError("conflict", `The team "${team.name}" and its workspaces still hold ${secrets} secret${secrets === 1 ? "" : "s"}. Delete or move them first.`);
    await tx.team.delete({ where: { id: team.id } });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "team.deleted", resource: { type: "team", id: team.id, label: team.name }, outcome: "success", metadata: { workspaces: team.workspaces.length } }),
    );
    return { id: team.id, name: team.name };
  });
}
