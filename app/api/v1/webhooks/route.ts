// GET /api/v1/webhooks: the organization's endpoints (webhooks:read); POST: create one, the secret shown once (webhooks:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { listWebhookEndpoints } from "@/lib/server/webhooks/list-webhooks";
import { createWebhookEndpoint } from "@/lib/server/webhooks/create-webhook-endpoint";
import { webhookEndpointApiCreateSchema } from "@/lib/validations/webhooks";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey(async ({ db, key }) => apiJson({ data: await listWebhookEndpoints(db, key.organizationId), next_cursor: null }), { scope: "webhooks:read" });

export const POST = withApiKey(
  async ({ db, key, actor, body }) => {
    const input = await body(webhookEndpointApiCreateSchema);
    const { endpoint, secret } = await createWebhookEndpoint(db, { orgId: key.organizationId, actor, input });
    return apiJson({ ...endpoint, secret }, 201);
  },
  { scope: "webhooks:write" },
);

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
