import "server-only";
import { KEY_PREFIX } from "@/lib/api-keys/key-format";
import { readCidrs, readRestrictions, readScopes, type Restrictions } from "./key-settings";

export type ApiKeyStatus = "active" | "expired" | "revoked";

/** An API key as lists, the console and the API show it: never the key, never its hash. */
export interface PublicApiKey {
  id: string;
  name: string;
  /** `gat_` + the first 8 characters, to recognise the key. */
  prefix: string;
  ownerId: string;
  agent: { id: string; name: string | null } | null;
  scopes: string[];
  restrictions: Restrictions;
  allowedCidrs: string[];
  rateLimitPerMinute: number | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  rolledToId: string | null;
  status: ApiKeyStatus;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  ownerId: string;
  agentId: string | null;
  scopes: string;
  restrictions: string;
  allowedCidrs: string;
  rateLimitPerMinute: number | null;
  expiresAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  rolledToId: string | null;
}

export function apiKeyStatus(row: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()): ApiKeyStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  return "active";
}

export function toPublicApiKey(row: ApiKeyRow, extra: { agentName?: string | null } = {}): PublicApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: `${KEY_PREFIX}${row.prefix}`,
    ownerId: row.ownerId,
    agent: row.agentId ? { id: row.agentId, name: extra.agentName ?? null } : null,
    scopes: readScopes(row.scopes),
    restrictions: readRestrictions(row.restrictions),
    allowedCidrs: readCidrs(row.allowedCidrs),
    rateLimitPerMinute: row.rateLimitPerMinute,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt,
    rolledToId: row.rolledToId,
    status: apiKeyStatus(row),
  };
}

/** The JSON form of a key for the REST API (snake_case, ISO dates). */
export function apiKeyJson(key: PublicApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    owner_id: key.ownerId,
    agent: key.agent,
    scopes: key.scopes,
    restrictions: key.restrictions,
    allowed_cidrs: key.allowedCidrs,
    rate_limit_per_minute: key.rateLimitPerMinute,
    expires_at: key.expiresAt?.toISOString() ?? null,
    created_at: key.createdAt.toISOString(),
    last_used_at: key.lastUsedAt?.toISOString() ?? null,
    last_used_ip: key.lastUsedIp,
    revoked_at: key.revokedAt?.toISOString() ?? null,
    rolled_to_id: key.rolledToId,
    status: key.status,
  };
}
