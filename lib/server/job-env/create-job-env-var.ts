import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { actorUserId, auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { createJobEnvVarSchema } from "@/lib/validations/job-env";
import { fieldErrorsOf } from "@/lib/server/resources/resource-errors";
import { checkJobEnvValue } from "./check-job-env-value";
import { loadProp, ORGANIZATION_TARGET, propTargetKey } from "./job-env-target";
import type { JobEnvVarView } from "./job-env-json";

/**
 * Create an organization-wide variable, or a Prop's override when `prop_id`
 * is set (callers check the actor may write Job ENV). References are checked
 * (see checkJobEnvValue). Audited with the name and target, never the value.
 * conflict on a name already set for that target.
 */
export async function createJobEnvVar(db: Db, { orgId, actor, input }: { orgId: string; actor: Actor; input: unknown }): Promise<JobEnvVarView> {
  const parsed = createJobEnvVarSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: fieldErrorsOf(parsed.error) });
  const { name, value, prop_id: propId } = parsed.data;
  const userId = actorUserId(actor);
  return db.$transaction(async (tx) => {
    const prop = propId ? await loadProp(tx, orgId, propId).catch(() => {
      throw new AppError("validation_failed", "Check the highlighted fields.", { fieldErrors: { prop_id: ["No such prop in this organization."] } });
    }) : null;
    const targetKey = prop ? propTargetKey(prop.id) : ORGANIZATION_TARGET;
    const references = await checkJobEnvValue(tx, orgId, prop, value);
    const taken = () =>
      new AppError("conflict", `${name} is already set ${prop ? `for prop ${prop.name}` : "for the organization"}.`, { fieldErrors: { name: [`${name} is already set here.`] } });
    if (await tx.jobEnvVar.findFirst({ where: { organizationId: orgId, targetKey, name }, select: { id: true } })) throw taken();
    const row = await tx.jobEnvVar
      .create({ data: { id: newId(), organizationId: orgId, propId: prop?.id ?? null, targetKey, name, value, createdById: userId, updatedById: userId } })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? taken() : error;
      });
    await recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: orgId,
        action: "job_env.created",
        resource: { type: "job_env", id: row.id, label: name },
        outcome: "success",
        metadata: { target: prop ? `prop:${prop.name}` : ORGANIZATION_TARGET, references: references.join(",") },
      }),
    );
    return { id: row.id, name: row.name, value: row.value, propId: row.propId, propName: prop?.name ?? null, createdAt: row.createdAt, updatedAt: row.updatedAt };
  });
}
