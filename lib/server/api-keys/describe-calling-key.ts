import "server-only";
import type { CachedKey } from "./key-cache";

/** What GET /api/v1/me answers, from the verified key alone (no query): the key, its organization and owner role. Never the key itself. */
export function describeCallingKey(key: CachedKey) {
  return {
    key: {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      scopes: key.scopes,
      restrictions: key.restrictions,
      allowed_cidrs: key.allowedCidrs.map((r) => r.text),
      rate_limit_per_minute: key.rateLimitPerMinute,
      expires_at: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
      created_at: new Date(key.createdAt).toISOString(),
    },
    organization: { id: key.organizationId, name: key.organization.name, slug: key.organization.slug },
    owner: { id: key.ownerId, role: key.ownerRole },
    actor: key.agent ? { type: "agent", id: key.agent.id, name: key.agent.name } : { type: "api_key", id: key.id, name: key.name },
  };
}
