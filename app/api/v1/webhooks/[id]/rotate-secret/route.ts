// POST /api/v1/webhooks/{id}/rotate-secret: a new signing secret, shown once; the old one signs too for the grace period (webhooks:write).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { rotateWebhookSecret } from "@/lib/server/webhooks/manage-webhook-endpoint";
import { rotateWebhookSecretBodySchema } from "@/lib/validations/webhooks";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey<{ id: string }>(
  async ({ db, key, actor, params, body }) => {
    const { grace_hours } = await body(rotateWebhookSecretBodySchema);
    const { endpoint, secret } = await rotateWebhookSecret(db, { orgId: key.organizationId, id: params.id, actor, graceHours: grace_hours });
    return apiJson({ ...endpoint, secret });
  },
  { scope: "webhooks:write" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
