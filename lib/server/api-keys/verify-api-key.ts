import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { Prisma } from "@/lib/server/db/generated/sqlite/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { hasValidChecksum } from "@/lib/api-keys/key-format";
import { ipInRanges, parseIpRange, type IpRange } from "@/lib/net/client-ip";
import { isRole } from "@/lib/permissions";
import { hashApiKey } from "./generate-key";
import { KeyLoader } from "./key-loader";
import { KEY_CHANNEL, keyCacheFor, type CachedKey } from "./key-cache";
import { readCidrs, readRestrictions, readScopes } from "./key-settings";

export type KeyRefusal = "key_missing" | "key_invalid" | "key_revoked" | "key_expired" | "ip_not_allowed";

export type KeyCheck = { ok: true; key: CachedKey; hash: string } | { ok: false; code: KeyRefusal };

/** The keys stored under `hashes` (SHA-256 of the raw key), with what a request needs of their owner and agent. */
export async function loadKeys(db: Db, hashes: string[]): Promise<Map<string, CachedKey>> {
  // Most misses are made-up keys: one plain indexed query says which hashes exist at all, and
  // only those are loaded with their organization (Prisma's relation query costs several times more).
  const existing = await db.$queryRaw<{ hash: string }[]>`SELECT "hash" FROM "ApiKey" WHERE "hash" IN (${Prisma.join(hashes)})`;
  if (existing.length === 0) return new Map();
  const rows = await db.apiKey.findMany({ where: { hash: { in: existing.map((r) => r.hash) } }, include: { organization: { select: { name: true, slug: true } } } });
  const found = new Map<string, CachedKey>();
  // Rows are found only for real keys, on a cold cache: few, so one query each for owner and agent is fine.
  await Promise.all(
    rows.map(async (row) => {
      const [membership, agent] = await Promise.all([
        db.membership.findUnique({ where: { userId_organizationId: { userId: row.ownerId, organizationId: row.organizationId } }, select: { role: true } }),
        row.agentId ? db.platformResource.findFirst({ where: { id: row.agentId, organizationId: row.organizationId, type: "agent" }, select: { id: true, name: true } }) : null,
      ]);
      const allowedCidrs = readCidrs(row.allowedCidrs).flatMap((text): IpRange[] => {
        const parsed = parseIpRange(text);
        return parsed.ok ? [parsed.range] : [];
      });
      found.set(row.hash, {
        id: row.id,
        organizationId: row.organizationId,
        organization: row.organization,
        name: row.name,
        prefix: `gat_${row.prefix}`,
        createdAt: row.createdAt.getTime(),
        ownerId: row.ownerId,
        ownerRole: membership && isRole(membership.role) ? membership.role : null,
        agent: agent ?? null,
        scopes: readScopes(row.scopes),
        restrictions: readRestrictions(row.restrictions),
        allowedCidrs,
        // Decided by what was stored, so an entry that no longer parses can only narrow, never open the key.
        cidrsRequired: readCidrs(row.allowedCidrs).length > 0,
        rateLimitPerMinute: row.rateLimitPerMinute,
        expiresAt: row.expiresAt?.getTime() ?? null,
        revokedAt: row.revokedAt?.getTime() ?? null,
      });
    }),
  );
  return found;
}

const loaders = new WeakMap<Db, KeyLoader<CachedKey>>();

/** The lookup of one database client, batched (see KeyLoader). */
export function keyLoaderFor(db: Db): KeyLoader<CachedKey> {
  let loader = loaders.get(db);
  if (!loader) {
    loader = new KeyLoader((hashes) => loadKeys(db, hashes));
    loaders.set(db, loader);
  }
  return loader;
}

/**
 * Check a presented key, cheapest test first: shape and CRC32 checksum
 * (offline, no lookup), then the cache or an indexed lookup by SHA-256 (batched
 * with the other misses of the moment, see KeyLoader), then
 * revocation, expiry (re-checked on every hit) and the key's IP allowlist.
 * Scope, role and restrictions are checked by the caller for what it asks.
 */
export async function verifyApiKey(db: Db, presented: string | null, clientIp: string | null, now = Date.now()): Promise<KeyCheck> {
  const check = await findPresentedKey(db, presented, now);
  if (!check.ok) return check;
  const { key } = check;
  if (key.cidrsRequired && !(clientIp && ipInRanges(clientIp, key.allowedCidrs))) return { ok: false, code: "ip_not_allowed" };
  return check;
}

/** verifyApiKey without the IP allowlist: for describing a key presented by another service, never for letting a request through. */
export async function findPresentedKey(db: Db, presented: string | null, now = Date.now()): Promise<KeyCheck> {
  if (!presented) return { ok: false, code: "key_missing" };
  if (!hasValidChecksum(presented)) return { ok: false, code: "key_invalid" };
  const hash = hashApiKey(presented);
  const cache = keyCacheFor(db);
  let key = cache.get(hash, now);
  if (key === undefined) {
    const generation = cache.generation;
    key = await keyLoaderFor(db).load(hash);
    cache.set(hash, key, generation);
  }
  if (!key) return { ok: false, code: "key_invalid" };
  // A key whose owner left the organization is revoked with them; until that lands, it is refused the same way.
  if (key.revokedAt !== null || key.ownerRole === null) return { ok: false, code: "key_revoked" };
  if (key.expiresAt !== null && key.expiresAt <= now) return { ok: false, code: "key_expired" };
  return { ok: true, key, hash };
}

/**
 * Forget cached lookups everywhere: in this process at once, on every other
 * instance when the transaction commits (PostgreSQL NOTIFY). Call inside the
 * mutation's transaction, and `afterCommit` once it has committed.
 */
export async function invalidateKeysInTx(tx: Tx, messages: string[]): Promise<void> {
  for (const message of messages) await dialectOf(tx).notify(tx, KEY_CHANNEL, message);
}

export function invalidateKeysLocally(db: Db, messages: string[]): void {
  const cache = keyCacheFor(db);
  for (const message of messages) cache.invalidate(message);
}
