import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { createSecret } from "@/lib/server/secrets/create-secret";
import { updateSecret } from "@/lib/server/secrets/update-secret";
import { listSecrets } from "@/lib/server/secrets/list-secrets";
import { ORGANIZATION_SCOPE, teamScopeKey, workspaceScopeKey } from "@/lib/server/secrets/secret-access";
import { findOrganizationBySlug, operatorActor } from "./operator";

/**
 * `--scope` as the operator writes it: `organization` (default), `team:<team
 * name>` or `workspace:<team name>/<workspace name>`; resolved to ids of the
 * organization (an unknown name is not_found).
 */
export async function resolveScopeSpec(db: Db, orgId: string, spec = "organization") {
  if (spec === "organization") return { scope: "organization" as const, scopeKey: ORGANIZATION_SCOPE };
  const team = /^team:(.+)$/.exec(spec);
  if (team) {
    const row = await db.team.findFirst({ where: { organizationId: orgId, name: team[1] }, select: { id: true } });
    if (!row) throw new AppError("not_found", `No team named "${team[1]}" in this organization.`);
    return { scope: "team" as const, teamId: row.id, scopeKey: teamScopeKey(row.id) };
  }
  const ws = /^workspace:([^/]+)\/(.+)$/.exec(spec);
  if (ws) {
    const row = await db.workspace.findFirst({ where: { organizationId: orgId, name: ws[2], team: { name: ws[1] } }, select: { id: true } });
    if (!row) throw new AppError("not_found", `No workspace "${ws[2]}" in a team "${ws[1]}" in this organization.`);
    return { scope: "workspace" as const, workspaceId: row.id, scopeKey: workspaceScopeKey(row.id) };
  }
  throw new AppError("validation_failed", `--scope: use organization, team:<team name> or workspace:<team name>/<workspace name> (got "${spec}").`);
}

/** `gatehouse secret set`: create the secret at the scope, or give an existing one a new value. Audited as `system`. */
export async function setSecretAsOperator(db: Db, { orgSlug, name, scope, category, value }: { orgSlug: string; name: string; scope?: string; category?: string; value: string }) {
  const org = await findOrganizationBySlug(db, orgSlug);
  const target = await resolveScopeSpec(db, org.id, scope);
  const actor = operatorActor("secret set");
  const existing = await db.secret.findFirst({ where: { organizationId: org.id, scopeKey: target.scopeKey, name }, select: { id: true } });
  if (existing) {
    await updateSecret(db, { orgId: org.id, id: existing.id, actor, input: { value, ...(category ? { category } : {}) } });
    return { org, created: false };
  }
  await createSecret(db, { orgId: org.id, actor, input: { name, value, category: category ?? "infrastructure", ...target } });
  return { org, created: true };
}

/** `gatehouse secret list`: names, scopes and categories only. */
export async function listSecretsAsOperator(db: Db, orgSlug: string) {
  const org = await findOrganizationBySlug(db, orgSlug);
  return { org, secrets: await listSecrets(db, { orgId: org.id, viewer: { kind: "system" } }) };
}
