"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { defineAction } from "@/lib/server/actions/define-action";
import { getDb } from "@/lib/server/db/client";
import { createJobEnvVar } from "@/lib/server/job-env/create-job-env-var";
import { updateJobEnvVar } from "@/lib/server/job-env/update-job-env-var";
import { deleteJobEnvVar } from "@/lib/server/job-env/delete-job-env-var";

type Action = (prev: ActionState<undefined>, formData: FormData) => Promise<ActionResult<undefined>>;

// Shapes only; the domain validates names, values and references.
const createForm = z.object({ name: z.string().max(200), value: z.string().max(40_000), prop_id: z.string().max(64).optional() });
const updateForm = z.object({ id: z.string().min(1).max(64), name: z.string().max(200), value: z.string().max(40_000) });
const idForm = z.object({ id: z.string().min(1).max(64) });

const refreshed = (message: string): ActionResult => {
  revalidatePath("/job-env");
  return { ok: true, data: undefined, message };
};

/** Create an organization variable or a Prop override (owners and admins, sudo; audited by name). */
export const createJobEnvVarAction: Action = defineAction({ schema: createForm, guard: { permission: "job_env.write", sudo: true } }, async (input, ctx) => {
  const created = await createJobEnvVar(getDb(), { orgId: ctx.org.id, actor: ctx.actor, input });
  return refreshed(created.propName ? `${created.name} now overrides the organization value for ${created.propName}.` : `${created.name} saved for every Prop.`);
});

/** Rename a variable or set its value (sudo). */
export const updateJobEnvVarAction: Action = defineAction({ schema: updateForm, guard: { permission: "job_env.write", sudo: true } }, async ({ id, ...input }, ctx) => {
  const updated = await updateJobEnvVar(getDb(), { orgId: ctx.org.id, id, actor: ctx.actor, input });
  return refreshed(`${updated.name} updated.`);
});

export const deleteJobEnvVarAction: Action = defineAction({ schema: idForm, guard: { permission: "job_env.write", sudo: true } }, async ({ id }, ctx) => {
  const deleted = await deleteJobEnvVar(getDb(), { orgId: ctx.org.id, id, actor: ctx.actor });
  return refreshed(`${deleted.name} deleted.`);
});
