import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { takenNameOr, workspaceNotFound } from "./team-errors";

/** Rename a workspace of the organization; audited with the old name. */
export async function renameWorkspace(db: Db, { orgId, workspaceId, name, actor }: { orgId: string; workspaceId: string; name: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const ws = await tx.workspace.findFirst({ where: { id: workspaceId, organizationId: orgId } });
    if (!ws) throw workspaceNotFound();
    const { count } = await tx.workspace.updateMany({ where: { id: ws.id, organizationId: orgId }, data: { name } }).catch(takenNameOr("workspace", name));
    if (count !== 1) throw workspaceNotFound();
    await recordAuditEvent(
      tx,
      auditEventBy(actor, { organizationId: orgId, action: "workspace.renamed", resource: { type: "workspace", id: ws.id, label: name }, outcome: "success", metadata: { previous_name: ws.name } }),
    );
    return { id: ws.id, name };
  });
}
