// POST /api/v1/webhooks/{id}/test: queue a webhook.test event for this endpoint (webhooks:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { sendTestWebhook } from "@/lib/server/webhooks/send-test-webhook";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async ({ db, key, actor, params }) => apiJson({ queued: 1, event_id: await sendTestWebhook(db, { orgId: key.organizationId, id: params.id, actor }) }, 202),
  { scope: "webhooks:write" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
