import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { toPublicResource } from "@/lib/server/resources/to-public-resource";
import { isIntakeProvider, normalizeRepositoryUrl, repositoryOf, verifyInbound, type HeaderLookup, type IntakeProvider } from "@/lib/integrations/verify-inbound";
import { unsealIntakeSecret } from "./intake-secret";

/** Inbound bodies larger than this are refused (413) before any parsing. */
export const INTAKE_MAX_BODY_BYTES = 1_048_576;
/** Denied requests audited per intake per minute; the rest are counted and reported with the next audited one. */
export const INTAKE_DENIED_AUDITS_PER_MINUTE = 10;
/** How long a delivery id is remembered (a replay within this time is refused). */
const RECEIPT_TTL_MS = 7 * 86_400_000;

export type IntakeDenial =
  | "missing_signature"
  | "bad_signature"
  | "stale_timestamp"
  | "missing_delivery_id"
  | "malformed_json"
  | "replayed"
  | "too_large";

export type IntakeResult =
  | { ok: true; status: 202; receiptId: string; eventType: string; propId: string | null }
  | { ok: false; status: 400 | 401 | 404 | 409 | 413; code: "not_found" | "unauthenticated" | "validation_failed" | "conflict" | "payload_too_large"; reason: IntakeDenial | "unknown_intake"; message: string };

const DENIAL: Record<IntakeDenial, Omit<Extract<IntakeResult, { ok: false }>, "ok" | "reason">> = {
  missing_signature: { status: 401, code: "unauthenticated", message: "The request is not signed." },
  bad_signature: { status: 401, code: "unauthenticated", message: "The signature does not match." },
  stale_timestamp: { status: 401, code: "unauthenticated", message: "The timestamp is missing or too far from now (more than 5 minutes)." },
  missing_delivery_id: { status: 400, code: "validation_failed", message: "The delivery id header is missing or malformed." },
  malformed_json: { status: 400, code: "validation_failed", message: "The body is not a JSON object." },
  replayed: { status: 409, code: "conflict", message: "This delivery was already received." },
  too_large: { status: 413, code: "payload_too_large", message: `The body is larger than ${INTAKE_MAX_BODY_BYTES} bytes.` },
};

export interface InboundRequest {
  provider: string;
  intakeId: string;
  headers: HeaderLookup;
  /** The raw body, or "too_large" when it passed the cap (it is not read further). */
  body: Buffer | "too_large";
  ip: string | null;
  userAgent: string | null;
  now?: Date;
}

interface IntakeRow {
  id: string;
  organizationId: string;
  provider: string;
  secret: string;
}

const NOT_FOUND: IntakeResult = { ok: false, status: 404, code: "not_found", reason: "unknown_intake", message: "No such intake." };

/**
 * Take in one inbound webhook (`POST /api/v1/integrations/{provider}/webhook/{intakeId}`).
 * Order: the intake must exist for that provider (else 404, nothing recorded, as for any
 * unknown id); size cap; signature over the raw bytes (constant-time); timestamp (Standard
 * Webhooks); JSON object; then, in one transaction, the receipt whose unique
 * (intake, delivery id) refuses a replay atomically, the audit event, the outbox event, and
 * for a push the matching Prop. Every refusal after the intake is known is audited as
 * `denied`, at most INTAKE_DENIED_AUDITS_PER_MINUTE per intake per minute.
 */
export async function receiveInboundWebhook(db: Db, request: InboundRequest): Promise<IntakeResult> {
  const now = request.now ?? new Date();
  if (!isIntakeProvider(request.provider) || !/^itk_[A-Za-z0-9_-]{1,64}$/.test(request.intakeId)) return NOT_FOUND;
  const provider = request.provider;
  const intake = await db.integrationIntake.findUnique({ where: { id: request.intakeId }, select: { id: true, organizationId: true, provider: true, secret: true } });
  if (!intake || intake.provider !== provider) return NOT_FOUND;

  const deny = async (reason: IntakeDenial, extra: Record<string, string> = {}): Promise<IntakeResult> => {
    await recordIntakeDenial(db, intake, reason, request, now, extra);
    return { ok: false, reason, ...DENIAL[reason] };
  };
  if (request.body === "too_large") return deny("too_large");
  const body = request.body;
  const verdict = verifyInbound(provider, unsealIntakeSecret(intake.id, intake.secret), request.headers, body, { now: now.getTime() });
  if (!verdict.ok) return deny(verdict.reason);

  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return deny("malformed_json", { delivery: verdict.deliveryId });
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return deny("malformed_json", { delivery: verdict.deliveryId });
  const eventType = verdict.eventType ?? standardEventType(payload) ?? "unknown";

  try {
    return await db.$transaction(async (tx) => {
      await tx.integrationReceipt.deleteMany({ where: { intakeId: intake.id, expiresAt: { lt: now } } });
      const receiptId = newId();
      const repository = repositoryOf(payload);
      // The replay guard: the second insert of one (intake, delivery id) fails here, whatever the timing.
      await tx.integrationReceipt.create({
        data: { id: receiptId, intakeId: intake.id, organizationId: intake.organizationId, deliveryId: verdict.deliveryId, eventType, repository: repository?.fullName ?? null, receivedAt: now, expiresAt: new Date(now.getTime() + RECEIPT_TTL_MS) },
      });
      const propId = isPush(provider, eventType) && repository ? await touchMatchingProp(tx, intake, provider, repository, payload, verdict.deliveryId, request, now) : null;
      if (propId) await tx.integrationReceipt.update({ where: { id: receiptId }, data: { propId } });
      await tx.integrationIntake.update({ where: { id: intake.id }, data: { lastAcceptedAt: now } });
      await recordAuditEvent(tx, {
        organizationId: intake.organizationId,
        actor: { type: "system", label: `${provider} webhook` },
        action: "integration.received",
        resource: { type: "integration_intake", id: intake.id, label: provider },
        outcome: "success",
        context: { ip: request.ip, userAgent: request.userAgent },
        metadata: { provider, event: eventType, delivery: verdict.deliveryId, repository: repository?.fullName ?? null, prop: propId },
      });
      await recordWebhookEvent(tx, {
        organizationId: intake.organizationId,
        type: "integration.received",
        resource: { type: "integration_intake", id: intake.id },
        data: { provider, event: eventType, delivery_id: verdict.deliveryId, repository: repository?.fullName ?? null, prop_id: propId, received_at: now.toISOString() },
      });
      return { ok: true as const, status: 202 as const, receiptId, eventType, propId };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return deny("replayed", { delivery: verdict.deliveryId });
    throw e;
  }
}

function standardEventType(payload: object): string | null {
  const type: unknown = Reflect.get(payload, "type");
  return typeof type === "string" && /^[a-z][a-z0-9_.]{0,63}$/.test(type) ? type : null;
}

function isPush(provider: IntakeProvider, eventType: string): boolean {
  return provider === "standard" ? eventType === "push" || eventType.endsWith(".push") : eventType === "push";
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && Reflect.get(e, "code") === "P2002";
}

/**
 * A push names its repository: the organization's Prop whose repository URL is
 * one of the repository's URLs, or whose name is its full name (`team/app`),
 * is touched (updatedAt), audited as `prop.pushed` and announced as `prop.pushed`.
 */
async function touchMatchingProp(
  tx: Tx,
  intake: IntakeRow,
  provider: IntakeProvider,
  repository: { fullName: string; urls: string[] },
  payload: object,
  deliveryId: string,
  request: InboundRequest,
  now: Date,
): Promise<string | null> {
  const props = await tx.platformResource.findMany({ where: { organizationId: intake.organizationId, type: "prop" }, orderBy: { createdAt: "asc" } });
  const urls = new Set(repository.urls.map(normalizeRepositoryUrl));
  const fullName = repository.fullName.toLowerCase();
  const match = props.find((p) => {
    const url: unknown = Reflect.get(JSON.parse(p.data) as object, "repository_url");
    if (typeof url === "string" && (urls.has(normalizeRepositoryUrl(url)) || normalizeRepositoryUrl(url).endsWith(`/${fullName}`))) return true;
    return p.name.toLowerCase() === fullName;
  });
  if (!match) return null;
  const touched = await tx.platformResource.update({ where: { id: match.id }, data: { updatedAt: now } });
  const ref: unknown = Reflect.get(payload, "ref");
  const after: unknown = Reflect.get(payload, "after");
  const push = {
    ref: typeof ref === "string" ? ref.slice(0, 255) : null,
    commit: typeof after === "string" && /^[0-9a-f]{7,64}$/i.test(after) ? after : null,
  };
  await recordAuditEvent(tx, {
    organizationId: intake.organizationId,
    actor: { type: "system", label: `${provider} webhook` },
    action: "prop.pushed",
    resource: { type: "prop", id: match.id, label: match.name },
    outcome: "success",
    context: { ip: request.ip, userAgent: request.userAgent },
    metadata: { provider, repository: repository.fullName, ref: push.ref, commit: push.commit, delivery: deliveryId },
  });
  await recordWebhookEvent(tx, {
    organizationId: intake.organizationId,
    type: "prop.pushed",
    resource: { type: "prop", id: match.id },
    data: { prop: toPublicResource(touched), provider, repository: repository.fullName, ref: push.ref, commit: push.commit, delivery_id: deliveryId },
  });
  return match.id;
}

/**
 * Audit a refusal as `integration.received` / `denied`, unless this intake has
 * already had INTAKE_DENIED_AUDITS_PER_MINUTE audited refusals in the current
 * minute: then it is only counted, and the count goes into the next audited
 * one. Conditional updates keep the limit under concurrency on both databases.
 */
async function recordIntakeDenial(db: Db, intake: IntakeRow, reason: IntakeDenial, request: InboundRequest, now: Date, extra: Record<string, string>): Promise<void> {
  const windowStart = new Date(now.getTime() - 60_000);
  await db.$transaction(async (tx) => {
    let suppressedBefore = 0;
    let audit = (await tx.integrationIntake.updateMany({ where: { id: intake.id, deniedWindowStart: { gt: windowStart }, deniedAudited: { lt: INTAKE_DENIED_AUDITS_PER_MINUTE } }, data: { deniedAudited: { increment: 1 }, lastDeniedAt: now } })).count === 1;
    if (!audit) {
      const current = await tx.integrationIntake.findUnique({ where: { id: intake.id }, select: { deniedWindowStart: true, deniedSuppressed: true } });
      if (current && (!current.deniedWindowStart || current.deniedWindowStart <= windowStart)) {
        // A new minute: this one is audited and carries the count of the refusals left out before it.
        const opened = await tx.integrationIntake.updateMany({
          where: { id: intake.id, OR: [{ deniedWindowStart: null }, { deniedWindowStart: { lte: windowStart } }] },
          data: { deniedWindowStart: now, deniedAudited: 1, deniedSuppressed: 0, lastDeniedAt: now },
        });
        audit = opened.count === 1;
        suppressedBefore = audit ? current.deniedSuppressed : 0;
      }
    }
    if (!audit) {
      await tx.integrationIntake.update({ where: { id: intake.id }, data: { deniedSuppressed: { increment: 1 }, lastDeniedAt: now } });
      return;
    }
    await recordAuditEvent(tx, {
      organizationId: intake.organizationId,
      actor: { type: "system", label: `${intake.provider} webhook` },
      action: "integration.received",
      resource: { type: "integration_intake", id: intake.id, label: intake.provider },
      outcome: "denied",
      context: { ip: request.ip, userAgent: request.userAgent },
      metadata: { provider: intake.provider, reason, not_audited_before: suppressedBefore, ...extra },
    });
  });
}
