import type { Role } from "@/lib/permissions";

/**
 * The scope catalogue of API keys (DESIGN.md "API keys and the REST API"),
 * pure data shared by the server (which enforces it), the console's scope
 * picker, the OpenAPI document and the README.
 *
 * Implication rules: `*` grants everything; `<family>:manage` grants every
 * verb of its family; `write` and `delete` each include `read`.
 */

export type ScopeVerb = "read" | "write" | "delete" | "manage";

export interface ScopeFamily {
  family: string;
  label: string;
  description: string;
  verbs: readonly ScopeVerb[];
  /** Members may hold read/write/delete of "platform" families; "admin" families are for owners and admins beyond read. */
  kind: "platform" | "admin";
}

export const SCOPE_FAMILIES: readonly ScopeFamily[] = [
  { family: "marquees", label: "Marquees", description: "Hosts that run playgrounds.", verbs: ["read", "write", "delete", "manage"], kind: "platform" },
  { family: "props", label: "Props", description: "Source repositories.", verbs: ["read", "write", "delete"], kind: "platform" },
  { family: "playspecs", label: "Playspecs", description: "Environment blueprints.", verbs: ["read", "write", "delete"], kind: "platform" },
  { family: "playgrounds", label: "Playgrounds", description: "Running environment configuration.", verbs: ["read", "write", "delete"], kind: "platform" },
  { family: "import_templates", label: "Templates", description: "Import templates.", verbs: ["read", "write"], kind: "platform" },
  { family: "agents", label: "Agents", description: "Automated actors.", verbs: ["read", "write", "delete"], kind: "platform" },
  { family: "artefacts", label: "Artefacts", description: "Build outputs.", verbs: ["read", "write", "delete"], kind: "platform" },
  { family: "mutters", label: "Mutters", description: "Status notes.", verbs: ["read", "write"], kind: "platform" },
  { family: "feedbacks", label: "Feedback", description: "User feedback.", verbs: ["read", "write", "delete"], kind: "platform" },
  { family: "mutations", label: "Mutations", description: "Change requests against the platform.", verbs: ["read", "write"], kind: "platform" },
  { family: "launch", label: "Launch", description: "Launch playgrounds.", verbs: ["write"], kind: "platform" },
  { family: "conversations", label: "Conversations", description: "Agent conversations.", verbs: ["read", "write", "delete", "manage"], kind: "platform" },
  { family: "memories", label: "Memories", description: "Agent memories.", verbs: ["read", "write", "delete", "manage"], kind: "platform" },
  { family: "monitor", label: "Monitoring", description: "Health and usage.", verbs: ["read"], kind: "platform" },
  { family: "keys", label: "API keys", description: "Issue, revoke and verify the organization's keys.", verbs: ["manage"], kind: "admin" },
  { family: "webhooks", label: "Webhooks", description: "Webhook endpoints and deliveries.", verbs: ["read", "write", "delete"], kind: "admin" },
  { family: "secrets", label: "Secrets", description: "Vault secrets (values only through explicit reveal).", verbs: ["read", "write", "delete", "manage"], kind: "admin" },
  { family: "audit", label: "Audit log", description: "Read and export the audit log (never changes it).", verbs: ["read"], kind: "admin" },
  { family: "job_env", label: "Job ENV", description: "Environment variables of job runs.", verbs: ["read", "write", "delete", "manage"], kind: "admin" },
];

export const WILDCARD = "*";

/** Every scope a key may carry: each family's verbs, and the wildcard. */
export const ALL_SCOPES: readonly string[] = [...SCOPE_FAMILIES.flatMap((f) => f.verbs.map((v) => `${f.family}:${v}`)), WILDCARD];

export function isScope(value: string): boolean {
  return ALL_SCOPES.includes(value);
}

function parse(scope: string): { family: string; verb: ScopeVerb } | null {
  const [family, verb] = scope.split(":");
  const f = SCOPE_FAMILIES.find((x) => x.family === family);
  return f && (f.verbs as readonly string[]).includes(verb) ? { family, verb: verb as ScopeVerb } : null;
}

/** Does holding `held` grant `required`? (`*`, manage ⊇ all verbs, write/delete ⊇ read.) */
function grants(held: string, required: string): boolean {
  if (held === WILDCARD || held === required) return true;
  const h = parse(held);
  const r = parse(required);
  if (!h || !r || h.family !== r.family) return false;
  if (h.verb === "manage") return true;
  return r.verb === "read" && (h.verb === "write" || h.verb === "delete");
}

/** Do the key's scopes grant `required`? */
export function scopesGrant(scopes: readonly string[], required: string): boolean {
  return scopes.some((held) => grants(held, required));
}

/**
 * The role matrix: may a member with `role` hold (or exercise) `scope`?
 * Owners and admins: everything, the wildcard included. Members: read, write
 * and delete of platform families, and read of the admin families except
 * keys. Auditors: read only, never secret values (no `secrets:read`).
 */
export function roleAllowsScope(role: Role, scope: string): boolean {
  if (role === "owner" || role === "admin") return true;
  if (scope === WILDCARD) return false;
  const s = parse(scope);
  if (!s) return false;
  const family = SCOPE_FAMILIES.find((f) => f.family === s.family)!;
  if (role === "auditor") return s.verb === "read" && s.family !== "secrets";
  // member
  if (family.kind === "platform") return s.verb !== "manage";
  // Members cannot read the audit log in the console either (lib/permissions.ts "audit.read").
  return s.verb === "read" && s.family !== "keys" && s.family !== "audit";
}

/** The scopes a role may pick when creating a key. */
export function scopesForRole(role: Role): string[] {
  return ALL_SCOPES.filter((scope) => roleAllowsScope(role, scope));
}

/**
 * The effective permission of a request: the key grants the scope and the
 * key's owner, in their current role, may exercise it. Evaluated on every
 * request, so a lowered role or removed member takes effect at once.
 */
export function keyMayUse(keyScopes: readonly string[], ownerRole: Role | null, required: string): boolean {
  return ownerRole !== null && scopesGrant(keyScopes, required) && roleAllowsScope(ownerRole, required);
}

/** Presets offered by the console's scope picker. */
export const SCOPE_PRESETS = {
  "read-only": SCOPE_FAMILIES.filter((f) => f.verbs.includes("read") && f.family !== "secrets").map((f) => `${f.family}:read`),
  platform: SCOPE_FAMILIES.filter((f) => f.kind === "platform").flatMap((f) => f.verbs.filter((v) => v !== "manage").map((v) => `${f.family}:${v}`)),
} as const;
