import "server-only";
import type { ApiKeyActor } from "@/lib/server/audit/actor";
import type { CachedKey } from "@/lib/server/api-keys/key-cache";
import type { SecretSummary } from "./list-secrets";
import type { SecretViewer } from "./secret-access";

/** The API form of a secret's metadata (snake_case; never the value). */
export function secretJson(s: SecretSummary) {
  return {
    id: s.id,
    name: s.name,
    category: s.category,
    description: s.description,
    scope: s.scope,
    team_id: s.teamId,
    workspace_id: s.workspaceId,
    scope_label: s.scopeLabel,
    value_version: s.valueVersion,
    created_at: s.createdAt.toISOString(),
    created_by: s.createdBy,
    updated_at: s.updatedAt.toISOString(),
    updated_by: s.updatedBy,
    value_changed_at: s.valueChangedAt.toISOString(),
    last_revealed_at: s.lastRevealedAt?.toISOString() ?? null,
    rotation: s.rotation.state === "none" ? { state: "none", days_remaining: null, due_at: null } : { state: s.rotation.state, days_remaining: s.rotation.daysRemaining, due_at: s.rotation.dueAt.toISOString() },
  };
}

/** A key sees what its owner sees (the visibility rule by the owner's current role and teams). */
export function viewerOfKey(key: CachedKey, actor: ApiKeyActor): SecretViewer {
  return { kind: "member", userId: actor.ownerId, role: key.ownerRole ?? "auditor" };
}

/** A secret in a webhook event (`secret.created`, …): what identifies it and its version, never the value or anything derived from it. */
export function secretEventData(row: { id: string; name: string; category: string; scope: string; teamId: string | null; workspaceId: string | null; valueVersion: number }) {
  return { id: row.id, name: row.name, category: row.category, scope: row.scope, team_id: row.teamId, workspace_id: row.workspaceId, value_version: row.valueVersion };
}
