import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { resourceType } from "@/lib/resources/registry";
import { ORGANIZATION_SCOPE, teamScopeKey, workspaceScopeKey } from "@/lib/server/secrets/secret-access";

/** `targetKey` of organization-wide variables; a Prop's overrides use `prop:<id>`. */
export const ORGANIZATION_TARGET = "organization";
export const propTargetKey = (propId: string) => `prop:${propId}`;

export interface PropTarget {
  id: string;
  name: string;
  /** The Prop's vault workspace, if it names one (registry field `workspace_id`). */
  workspaceId: string | null;
}

export const propNotFound = () => new AppError("not_found", "That prop does not exist.");

/** A Prop of the organization (another organization's id reads as missing). */
export async function loadProp(db: Db | Tx, orgId: string, propId: string): Promise<PropTarget> {
  const row = await db.platformResource.findFirst({ where: { id: propId, organizationId: orgId, type: "prop" }, select: { id: true, name: true, data: true } });
  if (!row) throw propNotFound();
  return { id: row.id, name: row.name, workspaceId: workspaceIdOf(row.data) };
}

function workspaceIdOf(data: string): string | null {
  const field = resourceType("prop")?.workspaceField;
  if (!field) return null;
  try {
    const parsed: unknown = JSON.parse(data);
    const value = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined;
    return typeof value === "string" && value ? value : null;
  } catch {
    return null;
  }
}

/**
 * The secret scopes a Prop's jobs see, narrowest first: its workspace, that
 * workspace's team, the organization (only the organization without a
 * workspace). A workspace that no longer exists is refused rather than
 * silently falling back to broader scopes (which could supply another
 * environment's credential under the same name).
 */
export async function propSecretScopes(db: Db | Tx, orgId: string, prop: PropTarget): Promise<string[]> {
  if (!prop.workspaceId) return [ORGANIZATION_SCOPE];
  const ws = await db.workspace.findFirst({ where: { id: prop.workspaceId, organizationId: orgId }, select: { id: true, teamId: true } });
  if (!ws) {
    throw new AppError("validation_failed", `The workspace of prop ${prop.name} no longer exists: choose another workspace for it.`, {
      fieldErrors: { workspace_id: ["No such workspace in this organization."] },
    });
  }
  return [workspaceScopeKey(ws.id), teamScopeKey(ws.teamId), ORGANIZATION_SCOPE];
}
