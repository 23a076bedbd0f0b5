import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { getConfig } from "@/lib/server/config";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { displayPrefix } from "@/lib/api-keys/key-format";
import { isRole, type Role } from "@/lib/permissions";
import { generateApiKey } from "./generate-key";
import { normalizeRateLimitOverride } from "./rate-limit-override";
import { resolveExpiry, validateAgent, validateCidrs, validateKeyName, validateRestrictions, validateScopes, type Restrictions } from "./key-settings";
import { apiKeyJson, toPublicApiKey, type PublicApiKey } from "./public-api-key";

export interface CreateApiKeyInput {
  orgId: string;
  actor: Actor;
  /** The member whose role bounds the key (the creator in the console; the calling key's owner via the API). */
  ownerId: string;
  name: string;
  scopes: readonly string[];
  restrictions?: Restrictions;
  expiresAt?: Date | null;
  noExpiry?: boolean;
  allowedCidrs?: readonly string[];
  rateLimitPerMinute?: unknown;
  agentId?: string | null;
  /** When another key creates this one: its scopes bound what it may grant. */
  creatorKeyScopes?: readonly string[];
}

export async function ownerRoleIn(db: Db, orgId: string, userId: string): Promise<Role> {
  const membership = await db.membership.findUnique({ where: { userId_organizationId: { userId, organizationId: orgId } }, select: { role: true } });
  if (!membership || !isRole(membership.role)) throw new AppError("forbidden", "Only members of the organization can own its API keys.");
  return membership.role;
}

/**
 * Issue a key. Every setting is validated (scopes against the owner's role
 * and, via the API, the calling key; expiry against the organization's
 * policy; CIDRs; restrictions and agent against the organization's
 * resources; the rate-limit override rule). Only the SHA-256 is stored: the
 * raw key is returned here once and never again. Audited.
 */
export async function createApiKey(db: Db, input: CreateApiKeyInput): Promise<{ key: PublicApiKey; raw: string }> {
  const config = getConfig();
  const ownerRole = await ownerRoleIn(db, input.orgId, input.ownerId);
  const org = await db.organization.findUniqueOrThrow({ where: { id: input.orgId }, select: { apiKeyMaxLifetimeDays: true } });
  const name = validateKeyName(input.name);
  const scopes = validateScopes(input.scopes, ownerRole, input.creatorKeyScopes);
  const expiresAt = resolveExpiry({ expiresAt: input.expiresAt, noExpiry: input.noExpiry }, org.apiKeyMaxLifetimeDays);
  const allowedCidrs = validateCidrs(input.allowedCidrs ?? []);
  const rateLimitPerMinute = normalizeRateLimitOverride(input.rateLimitPerMinute, config.apiKeyRateLimitPerMinute);
  const restrictions = await validateRestrictions(db, input.orgId, input.restrictions ?? {});
  const agent = await validateAgent(db, input.orgId, input.agentId);
  const { raw, hash } = generateApiKey();

  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: newId(),
        organizationId: input.orgId,
        name,
        prefix: displayPrefix(raw),
        hash,
        ownerId: input.ownerId,
        agentId: agent?.id ?? null,
        scopes: JSON.stringify(scopes),
        restrictions: JSON.stringify(restrictions),
        allowedCidrs: JSON.stringify(allowedCidrs),
        rateLimitPerMinute,
        expiresAt,
        createdById: input.actor.kind === "system" ? input.ownerId : input.actor.kind === "api_key" ? input.actor.ownerId : input.actor.userId,
      },
    });
    await recordAuditEvent(
      tx,
      auditEventBy(input.actor, {
        organizationId: input.orgId,
        action: "api_key.created",
        resource: { type: "api_key", id: created.id, label: `${name} (${created.prefix}…)` },
        outcome: "success",
        metadata: {
          scopes: scopes.join(" "),
          expires_at: expiresAt?.toISOString() ?? null,
          restricted_types: Object.keys(restrictions).join(" ") || null,
          allowed_cidrs: allowedCidrs.join(" ") || null,
          rate_limit_per_minute: rateLimitPerMinute,
          agent: agent?.name ?? null,
        },
      }),
    );
    await recordWebhookEvent(tx, {
      organizationId: input.orgId,
      type: "api_key.created",
      resource: { type: "api_key", id: created.id },
      data: apiKeyJson(toPublicApiKey(created, { agentName: agent?.name ?? null })),
    });
    return created;
  });
  return { key: toPublicApiKey(row, { agentName: agent?.name ?? null }), raw };
}
