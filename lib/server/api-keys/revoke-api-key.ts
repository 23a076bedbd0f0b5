import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { findManageableKey, type KeyAuthority } from "./find-manageable-key";
import { apiKeyJson, toPublicApiKey } from "./public-api-key";
import { invalidateKeysInTx, invalidateKeysLocally } from "./verify-api-key";

/** Revoke inside a transaction (also used when a member is removed): conditional, audited, invalidated everywhere at commit. */
export async function revokeApiKeyInTx(tx: Tx, input: { keyId: string; orgId: string; actor: Actor; reason: string; revokedById: string | null }) {
  const now = new Date();
  const { count } = await tx.apiKey.updateMany({
    where: { id: input.keyId, organizationId: input.orgId, revokedAt: null },
    data: { revokedAt: now, revokedById: input.revokedById, revokedReason: input.reason },
  });
  if (count !== 1) return false;
  const key = await tx.apiKey.findUniqueOrThrow({ where: { id: input.keyId } });
  await invalidateKeysInTx(tx, [`key:${key.id}`]);
  await recordAuditEvent(
    tx,
    auditEventBy(input.actor, {
      organizationId: input.orgId,
      action: "api_key.revoked",
      resource: { type: "api_key", id: key.id, label: `${key.name} (${key.prefix}…)` },
      outcome: "success",
      metadata: { reason: input.reason },
    }),
  );
  await recordWebhookEvent(tx, { organizationId: input.orgId, type: "api_key.revoked", resource: { type: "api_key", id: key.id }, data: apiKeyJson(toPublicApiKey(key)) });
  return true;
}

/**
 * Revoke a key. It is refused on the very next request on this instance (the
 * cache entry goes when the transaction commits) and on every other instance
 * as soon as they hear the NOTIFY (PostgreSQL), within the cache's freshness
 * window at worst.
 */
export async function revokeApiKey(db: Db, input: { keyId: string; authority: KeyAuthority; actor: Actor; reason?: string }) {
  await db.$transaction(async (tx) => {
    const key = await findManageableKey(tx, input.keyId, input.authority);
    if (key.revokedAt) throw new AppError("conflict", "That API key is already revoked.");
    await revokeApiKeyInTx(tx, { keyId: key.id, orgId: input.authority.orgId, actor: input.actor, reason: input.reason ?? "revoked", revokedById: input.authority.userId });
  });
  invalidateKeysLocally(db, [`key:${input.keyId}`]);
}
