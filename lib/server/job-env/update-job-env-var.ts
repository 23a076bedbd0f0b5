import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { updateJobEnvVarSchema } from "@/lib/validations/job-env";
import { fieldErrorsOf } from "@/lib/server/resources/resource-errors";
import { checkJobEnvValue } from "./check-job-env-value";
import { loadProp, ORGANIZATION_TARGET } from "./job-env-target";
import type { JobEnvVarView } from "./job-env-json";

export const jobEnvVarNotFound = () => new AppError("not_found", "That variable does not exist.");

/**
 * Change a variable's name and/or value; the value's references are checked
 * again against its target. Audited with the names of what changed (and the
 * previous name on a rename), never a value.
 */
export async function updateJobEnvVar(db: Db, { orgId, id, actor, input }: { orgId: string; id: string; actor: Actor; input: unknown }): Promise<JobEnvVarView> {
  const parsed = updateJobEnvVarSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  return db.$transaction(async (tx) => {
    const row = await tx.jobEnvVar.findFirst({ where: { id, organizationId: orgId } });
    if (!row) throw jobEnvVarNotFound();
    const prop = row.propId ? await loadProp(tx, orgId, row.propId) : null;
    const name = parsed.data.name ?? row.name;
    const value = parsed.data.value ?? row.value;
    const changed = [name !== row.name ? "name" : null, value !== row.value ? "value" : null].filter((c): c is string => c !== null);
    const view = (r: typeof row): JobEnvVarView => ({ id: r.id, name: r.name, value: r.value, propId: r.propId, propName: prop?.name ?? null, createdAt: r.createdAt, updatedAt: r.updatedAt });
    if (changed.length === 0) return view(row);
    const references = await checkJobEnvValue(tx, orgId, prop, value);
    const taken = () => new AppError("conflict", `${name} is already set here.`, { fieldErrors: { name: [`${name} is already set here.`] } });
    const updated = await tx.jobEnvVar.update({ where: { id: row.id }, data: { name, value, updatedById: actorUserId(actor) } }).catch((error: unknown) => {
      throw isUniqueViolation(error) ? taken() : error;
    });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "job_env.updated",
        resource: { type: "job_env", id: row.id, label: name },
        outcome: "success",
        metadata: {
          target: prop ? `prop:${prop.name}` : ORGANIZATION_TARGET,
          changed: changed.join(","),
          references: references.join(","),
          ...(name !== row.name ? { previous_name: row.name } : {}),
        },
      }),
    );
    return view(updated);
  });
}
