// GET /api/v1/job_env: the organization's variables and Prop overrides (job_env:read); POST: create one (job_env:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { listJobEnvVars } from "@/lib/server/job-env/list-job-env-vars";
import { createJobEnvVar } from "@/lib/server/job-env/create-job-env-var";
import { jobEnvVarJson } from "@/lib/server/job-env/job-env-json";
import { createJobEnvVarBodySchema, jobEnvListQuerySchema } from "@/lib/api/job-env-schemas";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey(
  async ({ db, key, query }) => {
    const { prop_id: propId } = query(jobEnvListQuerySchema);
    return apiJson({ data: (await listJobEnvVars(db, { orgId: key.organizationId, propId })).map(jobEnvVarJson) });
  },
  { scope: "job_env:read" },
);

export const POST = withApiKey(
  async ({ db, key, actor, body }) => {
    const input = await body(createJobEnvVarBodySchema);
    return apiJson(jobEnvVarJson(await createJobEnvVar(db, { orgId: key.organizationId, actor, input })), 201);
  },
  { scope: "job_env:write" },
);

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
