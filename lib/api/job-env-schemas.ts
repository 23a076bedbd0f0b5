import { z } from "zod";
import { createJobEnvVarSchema, updateJobEnvVarSchema } from "@/lib/validations/job-env";

/** What the Job ENV routes answer (lib/server/job-env/job-env-json.ts), for the OpenAPI document. */

const isoDate = z.iso.datetime({ offset: true });

export const jobEnvVarSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    value: z.string().describe("Plain text; `{{secrets.NAME}}` references are kept as written (resolved only by the resolve call)."),
    scope: z.enum(["organization", "prop"]),
    prop_id: z.string().nullable(),
    prop_name: z.string().nullable(),
    created_at: isoDate,
    updated_at: isoDate,
  })
  .meta({ id: "JobEnvVar", description: "An organization-wide variable, or a Prop's override (`scope: prop`), which wins for that Prop." });

export const jobEnvVarListSchema = z.object({ data: z.array(jobEnvVarSchema) }).meta({ id: "JobEnvVarList" });

export const createJobEnvVarBodySchema = createJobEnvVarSchema.meta({
  id: "CreateJobEnvVarBody",
  description: "`prop_id` makes it an override for that Prop. Every `{{secrets.NAME}}` must name a secret visible from the Prop's workspace upward (any scope of the organization for organization-wide variables), else 400 `validation_failed`.",
});
export const updateJobEnvVarBodySchema = updateJobEnvVarSchema.meta({ id: "UpdateJobEnvVarBody" });

export const jobEnvListQuerySchema = z.object({
  prop_id: z.string().min(1).max(64).optional().describe("Only this Prop's overrides."),
});

export const resolvedJobEnvSchema = z
  .object({
    prop: z.object({ id: z.string(), name: z.string(), workspace_id: z.string().nullable() }),
    env: z.record(z.string(), z.string()).describe("Name → value with every secret reference substituted; inject as the run's environment."),
    variables: z.array(
      z.object({
        name: z.string(),
        source: z.enum(["organization", "override"]),
        secrets: z.array(z.object({ name: z.string(), scope: z.enum(["organization", "team", "workspace"]) })),
      }),
    ),
  })
  .meta({ id: "ResolvedJobEnv" });
