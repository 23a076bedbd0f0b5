import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { parseIpRange } from "@/lib/net/client-ip";
import { isScope, roleAllowsScope, scopesGrant, WILDCARD } from "@/lib/api-keys/scopes";
import { isResourceTypeName, RESOURCE_TYPES } from "@/lib/resources/registry";
import type { Role } from "@/lib/permissions";

/** Per-resource restrictions: for each restricted type, the only resource ids the key may act on. */
export type Restrictions = Partial<Record<string, string[]>>;

const DAY = 86_400_000;
export const DEFAULT_KEY_LIFETIME_DAYS = 90;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Stored JSON → values; anything malformed reads as the most restrictive value. */
export function readScopes(text: string): string[] {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && isScope(s)) : [];
}

export function readRestrictions(text: string): Restrictions {
  const v = parseJson(text);
  if (!v || typeof v !== "object" || Array.isArray(v)) return {};
  const out: Restrictions = {};
  for (const [type, ids] of Object.entries(v)) {
    if (Array.isArray(ids)) out[type] = ids.filter((id): id is string => typeof id === "string");
  }
  return out;
}

export function readCidrs(text: string): string[] {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", message, { fieldErrors: { [field]: [message] } });
}

/**
 * The scopes a new key may carry: known, allowed for the owner's role (the
 * wildcard only for owners and admins) and, when another key creates it
 * through the API, each granted by that key (no key can mint a stronger one).
 */
export function validateScopes(requested: readonly string[], ownerRole: Role, creatorKeyScopes?: readonly string[]): string[] {
  const scopes = [...new Set(requested.map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0) throw invalid("scopes", "Choose at least one scope.");
  for (const scope of scopes) {
    if (!isScope(scope)) throw invalid("scopes", `"${scope}" is not a scope.`);
    if (!roleAllowsScope(ownerRole, scope)) {
      throw invalid("scopes", scope === WILDCARD ? "Only owners and admins can create full-access (*) keys." : `Your role cannot hold the scope ${scope}.`);
    }
    if (creatorKeyScopes && !(scope === WILDCARD ? creatorKeyScopes.includes(WILDCARD) : scopesGrant(creatorKeyScopes, scope))) {
      throw invalid("scopes", `The calling key does not hold ${scope}, so it cannot grant it.`);
    }
  }
  return scopes.sort();
}

/** CIDR allowlist entries, validated and canonical ("203.0.113.0/24", "2001:db8::/32", single addresses). */
export function validateCidrs(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of entries.map((e) => e.trim()).filter(Boolean)) {
    const parsed = parseIpRange(entry);
    if (!parsed.ok) throw invalid("allowedCidrs", `"${entry}": ${parsed.reason}`);
    out.push(parsed.range.text);
  }
  if (out.length > 50) throw invalid("allowedCidrs", "At most 50 entries.");
  return [...new Set(out)];
}

/**
 * The expiry of a new key: the given date (in the future), no expiry when
 * asked and the organization allows it, else the default of 90 days (or the
 * organization's maximum lifetime when that is shorter); never beyond the
 * organization's maximum lifetime.
 */
export function resolveExpiry(input: { expiresAt?: Date | null; noExpiry?: boolean }, maxLifetimeDays: number | null, now = new Date()): Date | null {
  const max = maxLifetimeDays ? new Date(now.getTime() + maxLifetimeDays * DAY) : null;
  if (input.noExpiry) {
    if (max) throw invalid("expiresAt", `Your organization requires keys to expire within ${maxLifetimeDays} days.`);
    return null;
  }
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + Math.min(DEFAULT_KEY_LIFETIME_DAYS, maxLifetimeDays ?? Infinity) * DAY);
  if (expiresAt.getTime() <= now.getTime()) throw invalid("expiresAt", "Choose an expiry in the future.");
  if (max && expiresAt > max) throw invalid("expiresAt", `Your organization requires keys to expire within ${maxLifetimeDays} days.`);
  return expiresAt;
}

/** Restrictions name existing resources of the organization, of registry types, at most 100 per type. */
export async function validateRestrictions(db: Db | Tx, orgId: string, restrictions: Restrictions): Promise<Restrictions> {
  const out: Restrictions = {};
  for (const [type, ids] of Object.entries(restrictions)) {
    const list = [...new Set(ids ?? [])];
    if (list.length === 0) continue;
    if (!isResourceTypeName(type)) throw invalid("restrictions", `"${type}" is not a resource type (${RESOURCE_TYPES.map((r) => r.type).join(", ")}).`);
    if (list.length > 100) throw invalid("restrictions", "At most 100 resources per type.");
    const found = await db.platformResource.count({ where: { organizationId: orgId, type, id: { in: list } } });
    if (found !== list.length) throw invalid("restrictions", `Some chosen ${type} resources do not exist in this organization.`);
    out[type] = list.sort();
  }
  return out;
}

/** A key's agent must be an Agent resource of the organization. */
export async function validateAgent(db: Db | Tx, orgId: string, agentId: string | null | undefined): Promise<{ id: string; name: string } | null> {
  if (!agentId) return null;
  const agent = await db.platformResource.findFirst({ where: { id: agentId, organizationId: orgId, type: "agent" }, select: { id: true, name: true } });
  if (!agent) throw invalid("agentId", "That agent does not exist in this organization.");
  return agent;
}

export function validateKeyName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw invalid("name", "Enter a name, such as “CI deploys”.");
  if (trimmed.length > 100) throw invalid("name", "Use at most 100 characters.");
  return trimmed;
}
