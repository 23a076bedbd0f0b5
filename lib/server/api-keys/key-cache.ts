import "server-only";
import { dbProvider, dbUrl, type Db } from "@/lib/server/db/client";
import { listen } from "@/lib/server/db/postgres/listener";
import type { IpRange } from "@/lib/net/client-ip";
import type { Role } from "@/lib/permissions";
import type { Restrictions } from "./key-settings";

/** What a request needs to know about a key, without touching the database. */
export interface CachedKey {
  id: string;
  organizationId: string;
  organization: { name: string; slug: string };
  name: string;
  /** `gat_` + the first 8 characters. */
  prefix: string;
  createdAt: number;
  ownerId: string;
  /** The owner's role in the key's organization now; null when they are no longer a member. */
  ownerRole: Role | null;
  agent: { id: string; name: string } | null;
  scopes: string[];
  restrictions: Restrictions;
  allowedCidrs: IpRange[];
  /** The key has an allowlist: requests from outside `allowedCidrs` are refused. */
  cidrsRequired: boolean;
  rateLimitPerMinute: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** Fresh for about 10 s (a backstop: revocations and role changes invalidate at once). */
const FRESH_MS = 10_000;
/** Unknown keys are remembered briefly, so a flood of made-up keys does not reach the database. */
const MISS_MS = 2_000;
const MAX_ENTRIES = 10_000;

export const KEY_CHANNEL = "gatehouse_api_keys";

type Entry = { value: CachedKey | null; until: number };

/**
 * The in-process cache of API key lookups, keyed by the SHA-256 of the key
 * (Unkey's shape; ../shared/notes/api-keys-and-docs.md). One per database
 * client, i.e. per instance. Invalidated synchronously by the mutations of
 * this instance and, on PostgreSQL, by NOTIFY from every other instance.
 */
export class KeyCache {
  #entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a lookup that started before one must not be cached. */
  #generation = 0;

  get generation(): number {
    return this.#generation;
  }

  get(hash: string, now = Date.now()): CachedKey | null | undefined {
    const entry = this.#entries.get(hash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.#entries.delete(hash);
      return undefined;
    }
    return entry.value;
  }

  /** Store a lookup result, unless an invalidation happened since the lookup began (`generation`). */
  set(hash: string, value: CachedKey | null, generation: number, now = Date.now()) {
    if (generation !== this.#generation) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      // Map keeps insertion order: drop the oldest tenth.
      let drop = Math.ceil(MAX_ENTRIES / 10);
      for (const key of this.#entries.keys()) {
        this.#entries.delete(key);
        if (--drop === 0) break;
      }
    }
    this.#entries.set(hash, { value, until: now + (value ? FRESH_MS : MISS_MS) });
  }

  /** Apply an invalidation message: `hash:<sha256>`, `key:<id>` or `owner:<userId>`. */
  invalidate(message: string) {
    this.#generation += 1;
    const [kind, value] = [message.slice(0, message.indexOf(":")), message.slice(message.indexOf(":") + 1)];
    if (kind === "hash") {
      this.#entries.delete(value);
      return;
    }
    for (const [hash, entry] of this.#entries) {
      if (!entry.value) continue;
      if ((kind === "key" && entry.value.id === value) || (kind === "owner" && entry.value.ownerId === value)) this.#entries.delete(hash);
    }
  }

  clear() {
    this.#generation += 1;
    this.#entries.clear();
  }
}

// On globalThis, not in this module: Next.js may load a module once per bundle (a server
// action's and a route handler's copies differ), and a revocation in the console must
// reach the cache the API's routes read.
const globalForKeys = globalThis as unknown as { gatehouseKeyCaches?: WeakMap<Db, KeyCache> };
const caches = (globalForKeys.gatehouseKeyCaches ??= new WeakMap<Db, KeyCache>());

/** The cache of one database client; on PostgreSQL it also listens for other instances' invalidations. */
export function keyCacheFor(db: Db): KeyCache {
  let cache = caches.get(db);
  if (cache) return cache;
  const created = new KeyCache();
  caches.set(db, created);
  const url = dbUrl(db);
  if (dbProvider(db) === "postgres" && url) {
    // After a reconnect some messages may have been missed: start clean.
    listen(url, KEY_CHANNEL, (payload) => created.invalidate(payload), () => created.clear());
  }
  cache = created;
  return cache;
}
