// GET /api/v1/webhooks/{id}/deliveries: the delivery history with every attempt (webhooks:read).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { listWebhookDeliveries } from "@/lib/server/webhooks/list-webhooks";
import { webhookDeliveriesQuerySchema } from "@/lib/validations/webhooks";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey<{ id: string }>(
  async ({ db, key, params, query }) => {
    const q = query(webhookDeliveriesQuerySchema);
    return apiJson(await listWebhookDeliveries(db, { orgId: key.organizationId, endpointId: params.id, status: q.status, eventType: q.event_type, limit: q.limit, cursor: q.cursor }));
  },
  { scope: "webhooks:read" },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
