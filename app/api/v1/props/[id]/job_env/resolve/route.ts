// POST /api/v1/props/{id}/job_env/resolve: the environment of a run of this Prop, secret values included (job_env:manage; audited, names only).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { resolveJobEnv } from "@/lib/server/job-env/resolve-job-env";
import { viewerOfKey } from "@/lib/server/secrets/secret-json";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async ({ db, key, actor, params }) => {
    const r = await resolveJobEnv(db, { orgId: key.organizationId, propId: params.id, actor, viewer: viewerOfKey(key, actor) });
    return apiJson({ prop: { id: r.prop.id, name: r.prop.name, workspace_id: r.prop.workspaceId }, env: r.env, variables: r.variables });
  },
  { scope: "job_env:manage" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
