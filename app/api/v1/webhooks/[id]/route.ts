// GET/PATCH/DELETE /api/v1/webhooks/{id}: read (webhooks:read), change or pause/resume (webhooks:write), delete (webhooks:delete).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { getWebhookEndpoint } from "@/lib/server/webhooks/list-webhooks";
import { deleteWebhookEndpoint, setWebhookEndpointPaused, updateWebhookEndpoint } from "@/lib/server/webhooks/manage-webhook-endpoint";
import { webhookEndpointApiPatchSchema } from "@/lib/validations/webhooks";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

type Params = { id: string };

export const GET = withApiKey<Params>(async ({ db, key, params }) => apiJson(await getWebhookEndpoint(db, key.organizationId, params.id)), { scope: "webhooks:read" });

export const PATCH = withApiKey<Params>(
  async ({ db, key, actor, params, body }) => {
    const { paused, ...patch } = await body(webhookEndpointApiPatchSchema);
    const target = { orgId: key.organizationId, id: params.id, actor };
    let endpoint = await updateWebhookEndpoint(db, { ...target, patch });
    if (paused !== undefined && paused !== (endpoint.status === "paused")) endpoint = await setWebhookEndpointPaused(db, { ...target, paused });
    return apiJson(endpoint);
  },
  { scope: "webhooks:write" },
);

export const DELETE = withApiKey<Params>(
  async ({ db, key, actor, params }) => {
    await deleteWebhookEndpoint(db, { orgId: key.organizationId, id: params.id, actor });
    return new Response(null, { status: 204 });
  },
  { scope: "webhooks:delete" },
);

export const { POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
