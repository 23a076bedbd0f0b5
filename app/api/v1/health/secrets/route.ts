// GET /api/v1/health/secrets: the secrets backend's health (open: no API key; read-only; cached a few seconds; never a value).
import { getDb } from "@/lib/server/db/client";
import { checkSecretsHealth, secretsHealthJson } from "@/lib/server/secrets/check-secrets-health";
import { otherMethods } from "@/lib/server/api/method-not-allowed";
import { newRequestId } from "@/lib/server/api/api-error";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkSecretsHealth(getDb());
  return Response.json(secretsHealthJson(health), { status: health.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store", "X-Request-Id": newRequestId() } });
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
