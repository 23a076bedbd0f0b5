import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { ORGANIZATION_TARGET } from "./job-env-target";
import { jobEnvVarNotFound } from "./update-job-env-var";

/** Delete a variable (a conditional delete, so two parallel deletions record one event). Audited by name. */
export async function deleteJobEnvVar(db: Db, { orgId, id, actor }: { orgId: string; id: string; actor: Actor }): Promise<{ id: string; name: string }> {
  return db.$transaction(async (tx) => {
    const row = await tx.jobEnvVar.findFirst({ where: { id, organizationId: orgId }, select: { id: true, name: true, propId: true } });
    if (!row) throw jobEnvVarNotFound();
    const { count } = await tx.jobEnvVar.deleteMany({ where: { id: row.id, organizationId: orgId } });
    if (count !== 1) throw jobEnvVarNotFound();
    const prop = row.propId ? await tx.platformResource.findFirst({ where: { id: row.propId }, select: { name: true } }) : null;
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "job_env.deleted",
        resource: { type: "job_env", id: row.id, label: row.name },
        outcome: "success",
        metadata: { target: row.propId ? `prop:${prop?.name ?? row.propId}` : ORGANIZATION_TARGET },
      }),
    );
    return { id: row.id, name: row.name };
  });
}
