/**
 * Roles and what they may do. Pure data, shared by the server (which enforces
 * it) and the UI (which only uses it to hide controls a role cannot use).
 */
export const ROLES = ["owner", "admin", "member", "auditor"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "org.read",
  "org.update",
  "members.read",
  "members.invite",
  "members.manage",
  "members.manage_owners",
  "audit.read",
  "security_overview.read",
  "sessions.manage_others",
  "org.security_policy",
  "resources.read",
  "resources.write",
  "api_keys.create",
  "api_keys.read_all",
  "webhooks.read",
  "webhooks.manage",
  "teams.manage",
  "secrets.read",
  "secrets.reveal",
  "secrets.write",
  // Job ENV: everyone reads the variables (plain configuration; secret references are never resolved in the console); owners and admins change them.
  "job_env.read",
  "job_env.write",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: [
    "org.read",
    "org.update",
    "members.read",
    "members.invite",
    "members.manage",
    "audit.read",
    "security_overview.read",
    "sessions.manage_others",
    "resources.read",
    "resources.write",
    "api_keys.create",
    "api_keys.read_all",
    "webhooks.read",
    "webhooks.manage",
    "teams.manage",
    "secrets.read",
    "secrets.reveal",
    "secrets.write",
    "job_env.read",
    "job_env.write",
  ],
  // Members read and reveal the secrets of their scopes (organization, their teams and those teams' workspaces).
  member: ["org.read", "members.read", "resources.read", "resources.write", "api_keys.create", "secrets.read", "secrets.reveal", "job_env.read"],
  // Auditors see secret names and metadata, never values.
  auditor: ["org.read", "members.read", "audit.read", "security_overview.read", "resources.read", "api_keys.read_all", "webhooks.read", "secrets.read", "job_env.read"],
};

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  auditor: "Auditor",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Full control, including owners and organization settings.",
  admin: "Manages members, keys, secrets and webhooks; cannot manage owners.",
  member: "Uses the platform; reads the organization and its members.",
  auditor: "Read-only security reviewer: audit log and security overview, never secret values.",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Roles a member with `actorRole` may hand out or take away. */
export function assignableRoles(actorRole: Role): Role[] {
  if (can(actorRole, "members.manage_owners")) return [...ROLES];
  if (can(actorRole, "members.manage")) return ["admin", "member", "auditor"];
  return [];
}

/** May `actorRole` change or remove a member who currently holds `targetRole`? */
export function canManageMember(actorRole: Role, targetRole: Role): boolean {
  return assignableRoles(actorRole).includes(targetRole);
}
