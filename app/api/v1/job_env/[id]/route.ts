// GET /api/v1/job_env/{id}: one variable (job_env:read); PATCH: rename or new value (job_env:write); DELETE (job_env:delete).
import type { NextRequest } from "next/server";
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { getJobEnvVar } from "@/lib/server/job-env/list-job-env-vars";
import { updateJobEnvVar } from "@/lib/server/job-env/update-job-env-var";
import { deleteJobEnvVar } from "@/lib/server/job-env/delete-job-env-var";
import { jobEnvVarJson } from "@/lib/server/job-env/job-env-json";
import { updateJobEnvVarBodySchema } from "@/lib/api/job-env-schemas";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

type Params = { id: string };
const scopeFor = (req: NextRequest) => ({ GET: "job_env:read", PATCH: "job_env:write", DELETE: "job_env:delete" })[req.method] ?? "job_env:manage";

export const GET = withApiKey<Params>(async ({ db, key, params }) => apiJson(jobEnvVarJson(await getJobEnvVar(db, { orgId: key.organizationId, id: params.id }))), { scope: scopeFor });

export const PATCH = withApiKey<Params>(
  async ({ db, key, actor, params, body }) => {
    const input = await body(updateJobEnvVarBodySchema);
    return apiJson(jobEnvVarJson(await updateJobEnvVar(db, { orgId: key.organizationId, id: params.id, actor, input })));
  },
  { scope: scopeFor },
);

export const DELETE = withApiKey<Params>(
  async ({ db, key, actor, params }) => {
    await deleteJobEnvVar(db, { orgId: key.organizationId, id: params.id, actor });
    return new Response(null, { status: 204 });
  },
  { scope: scopeFor },
);

export const { POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
