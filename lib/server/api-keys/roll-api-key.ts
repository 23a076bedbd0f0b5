import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { displayPrefix } from "@/lib/api-keys/key-format";
import { generateApiKey } from "./generate-key";
import { findManageableKey, type KeyAuthority } from "./find-manageable-key";
import { invalidateKeysInTx, invalidateKeysLocally } from "./verify-api-key";
import { apiKeyJson, toPublicApiKey, type PublicApiKey } from "./public-api-key";

export const MAX_GRACE_DAYS = 7;

/**
 * Replace a key with a new one carrying the same settings; the old key keeps
 * working for the grace period (0 to 7 days; never beyond its own expiry),
 * then expires, so deployments can switch without downtime. The new key keeps
 * the old expiry, capped by the organization's maximum key lifetime as it is
 * now (a key without expiry gets one when a maximum applies). Returns the new
 * raw key, once. Audited.
 */
export async function rollApiKey(db: Db, input: { keyId: string; authority: KeyAuthority; actor: Actor; graceHours: number }): Promise<{ key: PublicApiKey; raw: string; oldKeyExpiresAt: Date }> {
  if (!Number.isFinite(input.graceHours) || input.graceHours < 0 || input.graceHours > MAX_GRACE_DAYS * 24) {
    throw new AppError("validation_failed", `The grace period is 0 to ${MAX_GRACE_DAYS} days.`, { fieldErrors: { graceHours: [`0 to ${MAX_GRACE_DAYS * 24} hours.`] } });
  }
  const { raw, hash } = generateApiKey();
  const now = new Date();
  const graceEnd = new Date(now.getTime() + input.graceHours * 3_600_000);
  const result = await db.$transaction(async (tx) => {
    const old = await findManageableKey(tx, input.keyId, input.authority);
    if (old.revokedAt || (old.expiresAt && old.expiresAt <= now)) throw new AppError("conflict", "Only an active key can be rolled.");
    if (old.rolledToId) throw new AppError("conflict", "This key was already rolled; roll its replacement instead.");
    const org = await tx.organization.findUniqueOrThrow({ where: { id: old.organizationId }, select: { apiKeyMaxLifetimeDays: true } });
    const latest = org.apiKeyMaxLifetimeDays ? new Date(now.getTime() + org.apiKeyMaxLifetimeDays * 86_400_000) : null;
    const freshExpiresAt = latest && (!old.expiresAt || old.expiresAt > latest) ? latest : old.expiresAt;
    const oldKeyExpiresAt = old.expiresAt && old.expiresAt < graceEnd ? old.expiresAt : graceEnd;
    const fresh = await tx.apiKey.create({
      data: {
        id: newId(),
        organizationId: old.organizationId,
        name: old.name,
        prefix: displayPrefix(raw),
        hash,
        ownerId: old.ownerId,
        agentId: old.agentId,
        scopes: old.scopes,
        restrictions: old.restrictions,
        allowedCidrs: old.allowedCidrs,
        rateLimitPerMinute: old.rateLimitPerMinute,
        expiresAt: freshExpiresAt,
        createdById: input.authority.userId,
      },
    });
    const { count } = await tx.apiKey.updateMany({ where: { id: old.id, rolledToId: null }, data: { rolledToId: fresh.id, expiresAt: oldKeyExpiresAt } });
    if (count !== 1) throw new AppError("conflict", "This key was rolled by someone else just now.");
    await invalidateKeysInTx(tx, [`key:${old.id}`]);
    await recordAuditEvent(
      tx,
      auditEventBy(input.actor, {
        organizationId: old.organizationId,
        action: "api_key.rolled",
        resource: { type: "api_key", id: old.id, label: `${old.name} (${old.prefix}…)` },
        outcome: "success",
        metadata: { replaced_by: fresh.id, new_prefix: fresh.prefix, old_key_expires_at: oldKeyExpiresAt.toISOString(), grace_hours: input.graceHours, new_key_expires_at: freshExpiresAt?.toISOString() ?? null },
      }),
    );
    const rolled = await tx.apiKey.findUniqueOrThrow({ where: { id: old.id } });
    await recordWebhookEvent(tx, {
      organizationId: old.organizationId,
      type: "api_key.rolled",
      resource: { type: "api_key", id: old.id },
      data: { ...apiKeyJson(toPublicApiKey(rolled)), replaced_by: apiKeyJson(toPublicApiKey(fresh)) },
    });
    return { fresh, oldKeyExpiresAt };
  });
  invalidateKeysLocally(db, [`key:${input.keyId}`]);
  return { key: toPublicApiKey(result.fresh), raw, oldKeyExpiresAt: result.oldKeyExpiresAt };
}
