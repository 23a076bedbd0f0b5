// POST /api/v1/integrations/{provider}/webhook/{intakeId}: an inbound webhook from GitHub, Gitea or a
// Standard Webhooks sender. Not under API-key auth: the signature with the intake's secret is the credential.
import type { NextRequest } from "next/server";
import { getDb } from "@/lib/server/db/client";
import { contextFromHeaderBag } from "@/lib/server/request-context";
import { ApiError, errorResponse, newRequestId, toApiError } from "@/lib/server/api/api-error";
import { otherMethods } from "@/lib/server/api/method-not-allowed";
import { INTAKE_MAX_BODY_BYTES, receiveInboundWebhook } from "@/lib/server/integrations/receive-inbound-webhook";
import { readCappedBody } from "@/lib/server/integrations/read-capped-body";

const CODES = { not_found: "not_found", unauthenticated: "signature_invalid", validation_failed: "validation_failed", conflict: "conflict", payload_too_large: "payload_too_large" } as const;

export async function POST(req: NextRequest, route: { params: Promise<{ provider: string; intakeId: string }> }): Promise<Response> {
  const requestId = newRequestId();
  try {
    const { provider, intakeId } = await route.params;
    const context = contextFromHeaderBag((name) => req.headers.get(name));
    const body = await readCappedBody(req, INTAKE_MAX_BODY_BYTES);
    const result = await receiveInboundWebhook(getDb(), { provider, intakeId, headers: (name) => req.headers.get(name), body, ip: context.ip, userAgent: context.userAgent });
    if (result.ok) return Response.json({ accepted: true, event: result.eventType, prop_id: result.propId }, { status: 202, headers: { "X-Request-Id": requestId, "Cache-Control": "no-store" } });
    const error = new ApiError(CODES[result.code], result.message);
    return errorResponse(error, requestId);
  } catch (e) {
    return errorResponse(toApiError(e, requestId), requestId);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
