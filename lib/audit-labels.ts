/**
 * Readable names for audit events. Audit rows store `resource.verb` codes
 * (`user.sign_in`); people read "Signed in". Pure data, shared by the audit
 * log and the overview; a code without an entry still gets a readable name.
 */

interface ActionLabel {
  /** What happened when it worked: "Signed in". */
  label: string;
  /** The attempt, for failed or denied events: "Sign-in" → "Sign-in failed". */
  attempt: string;
}

export const AUDIT_ACTION_LABELS: Record<string, ActionLabel> = {
  "organization.created": { label: "Organization created", attempt: "Organization creation" },
  "organization.two_factor_policy_changed": { label: "2FA requirement changed", attempt: "2FA requirement change" },
  "user.sign_in": { label: "Signed in", attempt: "Sign-in" },
  "user.sign_out": { label: "Signed out", attempt: "Sign-out" },
  "user.password_changed": { label: "Password changed", attempt: "Password change" },
  "user.verification_failed": { label: "Verification failed", attempt: "Verification" },
  "session.second_factor_verified": { label: "Second factor verified", attempt: "Second-factor check" },
  "session.trust_restored": { label: "Session trust restored", attempt: "Trust restoration" },
  "session.untrusted": { label: "Session marked untrusted", attempt: "Trust change" },
  "session.revoked": { label: "Session revoked", attempt: "Session revocation" },
  "session.revoked_others": { label: "Other sessions signed out", attempt: "Signing out other sessions" },
  "sudo.opened": { label: "Sudo mode entered", attempt: "Sudo mode" },
  "sudo.exited": { label: "Sudo mode exited", attempt: "Leaving sudo mode" },
  "two_factor.totp_enabled": { label: "Authenticator app turned on", attempt: "Authenticator app setup" },
  "two_factor.totp_disabled": { label: "Authenticator app turned off", attempt: "Turning off the authenticator app" },
  "two_factor.recovery_codes_regenerated": { label: "Recovery codes regenerated", attempt: "Recovery code regeneration" },
  "security_key.registered": { label: "Security key added", attempt: "Adding a security key" },
  "security_key.renamed": { label: "Security key renamed", attempt: "Renaming a security key" },
  "security_key.removed": { label: "Security key removed", attempt: "Removing a security key" },
  "invitation.created": { label: "Invitation created", attempt: "Invitation" },
  "invitation.accepted": { label: "Invitation accepted", attempt: "Accepting an invitation" },
  "invitation.revoked": { label: "Invitation revoked", attempt: "Revoking an invitation" },
  "member.role_changed": { label: "Member role changed", attempt: "Role change" },
  "member.removed": { label: "Member removed", attempt: "Member removal" },
  "organization.api_key_policy_changed": { label: "API key lifetime policy changed", attempt: "API key policy change" },
  "api_key.created": { label: "API key created", attempt: "API key creation" },
  "api_key.updated": { label: "API key changed", attempt: "API key change" },
  "api_key.rolled": { label: "API key rolled", attempt: "Rolling an API key" },
  "api_key.revoked": { label: "API key revoked", attempt: "API key revocation" },
  "audit.chain_verified": { label: "Audit chain verified", attempt: "Audit chain check" },
  "webhook.created": { label: "Webhook endpoint created", attempt: "Webhook endpoint creation" },
  "webhook.updated": { label: "Webhook endpoint changed", attempt: "Webhook endpoint change" },
  "webhook.paused": { label: "Webhook endpoint paused", attempt: "Pausing a webhook endpoint" },
  "webhook.resumed": { label: "Webhook endpoint resumed", attempt: "Resuming a webhook endpoint" },
  "webhook.deleted": { label: "Webhook endpoint deleted", attempt: "Webhook endpoint deletion" },
  "webhook.secret_rotated": { label: "Webhook signing secret rotated", attempt: "Webhook secret rotation" },
  "webhook.disabled": { label: "Webhook endpoint disabled", attempt: "Disabling a webhook endpoint" },
  "webhook.test_sent": { label: "Webhook test event sent", attempt: "Sending a webhook test event" },
  "webhook.redelivered": { label: "Webhook delivery retried by hand", attempt: "Webhook redelivery" },
  "integration.intake_created": { label: "Inbound webhook intake created", attempt: "Inbound webhook intake creation" },
  "integration.secret_rotated": { label: "Inbound webhook secret rotated", attempt: "Inbound webhook secret rotation" },
  "integration.intake_deleted": { label: "Inbound webhook intake removed", attempt: "Inbound webhook intake removal" },
  "integration.received": { label: "Inbound webhook accepted", attempt: "Inbound webhook" },
  "prop.pushed": { label: "Push received for a Prop", attempt: "Push for a Prop" },
  "audit.exported": { label: "Audit log exported", attempt: "Audit log export" },
  "team.created": { label: "Team created", attempt: "Team creation" },
  "team.renamed": { label: "Team renamed", attempt: "Renaming a team" },
  "team.deleted": { label: "Team deleted", attempt: "Team deletion" },
  "team.member_added": { label: "Member added to a team", attempt: "Adding a team member" },
  "team.member_removed": { label: "Member removed from a team", attempt: "Removing a team member" },
  "workspace.created": { label: "Workspace created", attempt: "Workspace creation" },
  "workspace.renamed": { label: "Workspace renamed", attempt: "Renaming a workspace" },
  "workspace.deleted": { label: "Workspace deleted", attempt: "Workspace deletion" },
  "secret.created": { label: "Secret created", attempt: "Secret creation" },
  "secret.updated": { label: "Secret changed", attempt: "Secret change" },
  "secret.deleted": { label: "Secret deleted", attempt: "Secret deletion" },
  "secret.revealed": { label: "Secret revealed", attempt: "Secret reveal" },
  "secret.rotation_policy_changed": { label: "Secret rotation policy changed", attempt: "Rotation policy change" },
  "vault.rewrapped": { label: "Vault rewrapped under a new master key", attempt: "Vault rewrap" },
  "master_key.resealed": { label: "2FA and webhook secrets resealed under a new master key", attempt: "Master-key reseal" },
  // Job ENV and rotation notices
  "job_env.created": { label: "Job ENV variable created", attempt: "Job ENV variable creation" },
  "job_env.updated": { label: "Job ENV variable changed", attempt: "Job ENV variable change" },
  "job_env.deleted": { label: "Job ENV variable deleted", attempt: "Job ENV variable deletion" },
  "job_env.resolved": { label: "Job ENV resolved for a run", attempt: "Job ENV resolution" },
  "secret.rotation_due": { label: "Secret rotation due", attempt: "Secret rotation notice" },
  // Audit log maintenance (retention).
  "audit.retention_changed": { label: "Audit retention changed", attempt: "Audit retention change" },
  "audit.pruned": { label: "Old audit events archived and removed", attempt: "Audit retention run" },
};

export const AUDIT_OUTCOME_LABELS: Record<string, string> = { success: "Succeeded", failure: "Failed", denied: "Denied" };

const ACRONYMS: Record<string, string> = { api: "API", ip: "IP", totp: "TOTP", "2fa": "2FA", env: "ENV", id: "ID", url: "URL", cidr: "CIDR", sso: "SSO", cli: "CLI" };

function words(code: string): string[] {
  return code
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
}

function sentence(parts: string[]): string {
  const text = parts.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "prop.created" → "Prop created", "api_key.revoked" → "API key revoked", for codes without an entry. */
export function humanizeAuditAction(action: string): string {
  const parts = action.split(".").flatMap(words);
  return parts.length ? sentence(parts) : "Unknown action";
}

/** The readable name of an action code, as it reads when the action succeeded. */
export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action]?.label ?? humanizeAuditAction(action);
}

/** "Failed", "Denied", "Succeeded"; an unknown outcome is shown as itself, readably. */
export function auditOutcomeLabel(outcome: string): string {
  return AUDIT_OUTCOME_LABELS[outcome] ?? (sentence(words(outcome)) || "Unknown");
}

/**
 * The title of one event, honest about its outcome: a failed `user.sign_in`
 * reads "Sign-in failed", never "Signed in".
 */
export function auditEventTitle(action: string, outcome: string): string {
  if (outcome === "success") return auditActionLabel(action);
  const known = AUDIT_ACTION_LABELS[action];
  const verdict = outcome === "denied" ? "refused" : outcome === "failure" ? "failed" : auditOutcomeLabel(outcome).toLowerCase();
  if (known) return `${known.attempt} ${verdict}`;
  return `${humanizeAuditAction(action)} (${verdict})`;
}
