import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { revokeApiKeyInTx } from "@/lib/server/api-keys/revoke-api-key";
import { operatorActor } from "./operator";

/**
 * `gatehouse keys revoke <id>`: revoke a key of any organization (the operator
 * holds the host). Conditional and audited as `system` by revokeApiKeyInTx;
 * running servers drop the key from their caches through its NOTIFY
 * (PostgreSQL) or within the cache's freshness window.
 */
export async function revokeKeyAsOperator(db: Db, keyId: string) {
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id: keyId }, select: { id: true, name: true, organizationId: true, revokedAt: true } });
    if (!key) throw new AppError("not_found", `No API key has the id "${keyId}".`);
    if (key.revokedAt) throw new AppError("conflict", "That API key is already revoked.");
    const revoked = await revokeApiKeyInTx(tx, { keyId: key.id, orgId: key.organizationId, actor: operatorActor("keys revoke"), reason: "revoked by the operator CLI", revokedById: null });
    if (!revoked) throw new AppError("conflict", "That API key is already revoked.");
    return key;
  });
}
