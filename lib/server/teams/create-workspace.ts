import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { takenNameOr, teamNotFound } from "./team-errors";

/** Create a workspace in one of the organization's teams (names unique per team); audited. */
export async function createWorkspace(db: Db, { orgId, teamId, name, actor }: { orgId: string; teamId: string; name: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const team = await tx.team.findFirst({ where: { id: teamId, organizationId: orgId }, select: { id: true, name: true } });
    if (!team) throw teamNotFound();
    const ws = await tx.workspace.create({ data: { id: newId(), organizationId: orgId, teamId: team.id, name } }).catch(takenNameOr("workspace", name));
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "workspace.created", resource: { type: "workspace", id: ws.id, label: ws.name }, outcome: "success", metadata: { team: team.name } }),
    );
    return { id: ws.id, name: ws.name, teamId: team.id };
  });
}
