import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { takenNameOr, teamNotFound } from "./team-errors";

/** Rename a team of the organization; another organization's id is not_found. Audited with the old name. */
export async function renameTeam(db: Db, { orgId, teamId, name, actor }: { orgId: string; teamId: string; name: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const team = await tx.team.findFirst({ where: { id: teamId, organizationId: orgId } });
    if (!team) throw teamNotFound();
    const { count } = await tx.team.updateMany({ where: { id: team.id, organizationId: orgId }, data: { name } }).catch(takenNameOr("team", name));
    if (count !== 1) throw teamNotFound();
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "team.renamed", resource: { type: "team", id: team.id, label: name }, outcome: "success", metadata: { previous_name: team.name } }),
    );
    return { id: team.id, name };
  });
}
