import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { getConfig } from "@/lib/server/config";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { findManageableKey, type KeyAuthority } from "./find-manageable-key";
import { validateCidrs, validateKeyName, validateRestrictions, type Restrictions } from "./key-settings";
import { normalizeRateLimitOverride } from "./rate-limit-override";
import { invalidateKeysInTx, invalidateKeysLocally } from "./verify-api-key";
import { apiKeyJson, toPublicApiKey, type PublicApiKey } from "./public-api-key";

/**
 * Change a key's name, restrictions, IP allowlist or rate-limit override (its
 * scopes and expiry are fixed: issue a new key for more). Audited with the
 * names of the changed settings; takes effect on the next request everywhere.
 */
export async function updateApiKey(
  db: Db,
  input: { keyId: string; authority: KeyAuthority; actor: Actor; name?: string; restrictions?: Restrictions; allowedCidrs?: readonly string[]; rateLimitPerMinute?: unknown },
): Promise<PublicApiKey> {
  const data: { name?: string; restrictions?: string; allowedCidrs?: string; rateLimitPerMinute?: number | null } = {};
  if (input.name !== undefined) data.name = validateKeyName(input.name);
  if (input.allowedCidrs !== undefined) data.allowedCidrs = JSON.stringify(validateCidrs(input.allowedCidrs));
  if (input.rateLimitPerMinute !== undefined) data.rateLimitPerMinute = normalizeRateLimitOverride(input.rateLimitPerMinute, getConfig().apiKeyRateLimitPerMinute);
  if (input.restrictions !== undefined) data.restrictions = JSON.stringify(await validateRestrictions(db, input.authority.orgId, input.restrictions));
  if (Object.keys(data).length === 0) throw new AppError("validation_failed", "Nothing to change.");
  const row = await db.$transaction(async (tx) => {
    const key = await findManageableKey(tx, input.keyId, input.authority);
    if (key.revokedAt) throw new AppError("conflict", "A revoked key cannot be changed.");
    const updated = await tx.apiKey.update({ where: { id: key.id }, data });
    await invalidateKeysInTx(tx, [`key:${key.id}`]);
    await recordAuditEvent(
      tx,
      auditEventBy(input.actor, {
        organizationId: input.authority.orgId,
        action: "api_key.updated",
        resource: { type: "api_key", id: key.id, label: `${updated.name} (${updated.prefix}…)` },
        outcome: "success",
        metadata: { changed: Object.keys(data).join(" ") },
      }),
    );
    await recordWebhookEvent(tx, { organizationId: input.authority.orgId, type: "api_key.updated", resource: { type: "api_key", id: key.id }, data: apiKeyJson(toPublicApiKey(updated)) });
    return updated;
  });
  invalidateKeysLocally(db, [`key:${input.keyId}`]);
  return toPublicApiKey(row);
}
