import "server-only";
import type { Db } from "@/lib/server/db/client";
import { keyMayUse } from "@/lib/api-keys/scopes";
import { findPresentedKey, verifyApiKey } from "./verify-api-key";

export type PresentedKeyCode = "valid" | "key_invalid" | "key_revoked" | "key_expired" | "ip_not_allowed" | "insufficient_scope" | "resource_forbidden";

/**
 * For other services (POST /api/v1/keys/verify): is the presented key good
 * for this scope and resource? Only keys of the caller's own organization are
 * described; any other key reads as `key_invalid`, so nothing leaks across
 * tenants. The presented key's own usage is not counted.
 */
export async function verifyPresentedKey(
  db: Db,
  input: { callerOrgId: string; key: string; scope?: string; resource?: { type: string; id: string }; ip?: string },
) {
  const check = await verifyApiKey(db, input.key, input.ip ?? null);
  const key = check.ok ? check.key : null;
  if (!check.ok && check.code !== "ip_not_allowed") return { valid: false, code: check.code === "key_missing" ? "key_invalid" : check.code } as const;
  // ip_not_allowed still needs the key (for its organization); verifyApiKey refuses before returning it, so look again without the IP rule.
  const found = key ?? (await findPresentedKey(db, input.key).then((r) => (r.ok ? r.key : null)));
  if (!found || found.organizationId !== input.callerOrgId) return { valid: false, code: "key_invalid" } as const;
  const describe = {
    organization: { id: found.organizationId, name: found.organization.name, slug: found.organization.slug },
    scopes: found.scopes,
    restrictions: found.restrictions,
    expires_at: found.expiresAt === null ? null : new Date(found.expiresAt).toISOString(),
  };
  if (!check.ok) return { valid: false, code: "ip_not_allowed" as PresentedKeyCode, ...describe };
  if (input.scope && !keyMayUse(found.scopes, found.ownerRole, input.scope)) return { valid: false, code: "insufficient_scope" as PresentedKeyCode, ...describe };
  const allowed = input.resource ? found.restrictions[input.resource.type] : undefined;
  if (input.resource && allowed && !allowed.includes(input.resource.id)) return { valid: false, code: "resource_forbidden" as PresentedKeyCode, ...describe };
  return { valid: true, code: "valid" as PresentedKeyCode, ...describe };
}
