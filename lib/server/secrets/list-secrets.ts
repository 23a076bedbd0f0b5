import "server-only";
import type { Db } from "@/lib/server/db/client";
import { rotationStatus, type RotationStatus } from "@/lib/secrets/rotation";
import { visibleScopes, visibleSecretsWhere, type SecretViewer } from "./secret-access";
import { scopeLabels } from "./secret-scope";

/** What lists show about a secret: names and metadata, never the value or its ciphertext. */
export interface SecretSummary {
  id: string;
  name: string;
  category: string;
  description: string;
  scope: string;
  scopeKey: string;
  scopeLabel: string;
  teamId: string | null;
  workspaceId: string | null;
  valueVersion: number;
  createdAt: Date;
  createdBy: string | null;
  updatedAt: Date;
  updatedBy: string | null;
  valueChangedAt: Date;
  lastRevealedAt: Date | null;
  rotation: RotationStatus;
}

const SUMMARY_FIELDS = {
  id: true, name: true, category: true, description: true, scope: true, scopeKey: true, teamId: true, workspaceId: true, valueVersion: true,
  createdAt: true, createdById: true, updatedAt: true, updatedById: true, valueChangedAt: true, lastRevealedAt: true, rotationIntervalDays: true, notifyBeforeDays: true,
} as const;

/** The secrets the viewer may see, by name then scope (the `select` never reads ciphertext columns). */
export async function listSecrets(db: Db, { orgId, viewer, now = new Date() }: { orgId: string; viewer: SecretViewer; now?: Date }): Promise<SecretSummary[]> {
  const scopes = await visibleScopes(db, orgId, viewer);
  const rows = await db.secret.findMany({ where: visibleSecretsWhere(orgId, scopes), select: SUMMARY_FIELDS, orderBy: [{ name: "asc" }, { scopeKey: "asc" }], take: 2000 });
  const labels = await scopeLabels(db, orgId);
  const userIds = [...new Set(rows.flatMap((r) => [r.createdById, r.updatedById]).filter((v): v is string => Boolean(v)))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return rows.map(({ createdById, updatedById, rotationIntervalDays, notifyBeforeDays, ...r }) => ({
    ...r,
    scopeLabel: labels.get(r.scopeKey) ?? r.scope,
    createdBy: createdById ? (emails.get(createdById) ?? "a former member") : "operator",
    updatedBy: updatedById ? (emails.get(updatedById) ?? "a former member") : "operator",
    rotation: rotationStatus({ intervalDays: rotationIntervalDays, notifyBeforeDays, valueChangedAt: r.valueChangedAt }, now),
  }));
}
