import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { workspaceNotFound } from "./team-errors";

/** Delete a workspace; refused (conflict) while it still holds secrets. Audited. */
export async function deleteWorkspace(db: Db, { orgId, workspaceId, actor }: { orgId: string; workspaceId: string; actor: Actor }) {
  // Prisma reads `id: undefined` as no filter at all: never let a missing id match any workspace.
  if (typeof workspaceId !== "string" || workspaceId === "") throw workspaceNotFound();
  return db.$transaction(async (tx) => {
    const ws = await tx.workspace.findFirst({ where: { id: workspaceId, organizationId: orgId } });
    if (!ws) throw workspaceNotFound();
    const secrets = await tx.secret.count({ where: { organizationId: orgId, workspaceId: ws.id } });
    if (secrets > 0) throw new AppError("conflict", `The workspace "${ws.name}" still holds ${secrets} secret${secrets === 1 ? "" : "s"}. Delete them first.`);
    await tx.workspace.delete({ where: { id: ws.id } });
    await recordAuditEvent(tx, auditEventBy(actor, { organizationId: orgId, action: "workspace.deleted", resource: { type: "workspace", id: ws.id, label: ws.name }, outcome: "success" }));
    return { id: ws.id, name: ws.name };
  });
}
