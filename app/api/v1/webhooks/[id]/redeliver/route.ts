// POST /api/v1/webhooks/{id}/redeliver: send one delivery again, or every failed one since a time (webhooks:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { redeliverWebhooks } from "@/lib/server/webhooks/redeliver-webhook";
import { redeliverWebhookBodySchema } from "@/lib/validations/webhooks";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async ({ db, key, actor, params, body }) => {
    const input = await body(redeliverWebhookBodySchema);
    const queued = await redeliverWebhooks(db, { orgId: key.organizationId, endpointId: params.id, actor, deliveryId: input.delivery_id, since: input.since ? new Date(input.since) : undefined });
    return apiJson({ queued }, 202);
  },
  { scope: "webhooks:write" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
