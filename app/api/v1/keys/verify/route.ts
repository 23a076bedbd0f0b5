// POST /api/v1/keys/verify: another service asks whether a presented key is good for a scope and resource (keys:manage).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { verifyPresentedKey } from "@/lib/server/api-keys/verify-presented-key";
import { verifyKeyBodySchema } from "@/lib/validations/api-keys";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const POST = withApiKey(
  async ({ db, key, body }) => {
    const input = await body(verifyKeyBodySchema);
    return apiJson(await verifyPresentedKey(db, { callerOrgId: key.organizationId, ...input }));
  },
  { scope: "keys:manage" },
);

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
