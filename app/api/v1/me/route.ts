// GET /api/v1/me: the calling key (no scope needed).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { describeCallingKey } from "@/lib/server/api-keys/describe-calling-key";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey(async ({ key }) => apiJson(describeCallingKey(key)), { scope: null });

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
