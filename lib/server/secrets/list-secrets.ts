import "server-only";
import type { Db } from "@/lib/server/db/client";
import { rotationStatus, type RotationStatus } from "@/lib/secrets/rotation";
import { AppError } from "@/lib/server/errors";
import { secretNotFound, visibleScopes, visibleSecretsWhere, type SecretViewer } from "./secret-access";
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
  rotationIntervalDays: number | null;
  notifyBeforeDays: number | null;
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
  return summarize(db, orgId, rows, now);
}

/** One visible secret's metadata; outside the viewer's scopes or another organization's: not_found. */
export async function getSecretSummary(db: Db, { orgId, id, viewer, now = new Date() }: { orgId: string; id: string; viewer: SecretViewer; now?: Date }): Promise<SecretSummary> {
  const scopes = await visibleScopes(db, orgId, viewer);
  const row = await db.secret.findFirst({ where: { id, ...visibleSecretsWhere(orgId, scopes) }, select: SUMMARY_FIELDS });
  if (!row) throw secretNotFound();
  return (await summarize(db, orgId, [row], now))[0];
}

const CURSOR = /^([A-Za-z_][A-Za-z0-9_]{0,127})\|([a-z]+(?::[A-Za-z0-9_-]{1,64})?)$/;

/**
 * A page of visible secrets by (name, scope), keyset-paged: the cursor is the
 * last row's name and scope, opaque (base64url) to callers. Never OFFSET.
 */
export async function listSecretPage(db: Db, { orgId, viewer, limit, cursor }: { orgId: string; viewer: SecretViewer; limit: number; cursor?: string | null }) {
  let after: { name: string; scopeKey: string } | null = null;
  if (cursor) {
    const match = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8")) : null;
    if (!match) throw new AppError("validation_failed", "The cursor is not valid.", { fieldErrors: { cursor: ["Use the cursor of the previous page, or none for the first page."] } });
    after = { name: match[1], scopeKey: match[2] };
  }
  const scopes = await visibleScopes(db, orgId, viewer);
  const rows = await db.secret.findMany({
    where: { ...visibleSecretsWhere(orgId, scopes), ...(after ? { OR: [{ name: { gt: after.name } }, { name: after.name, scopeKey: { gt: after.scopeKey } }] } : {}) },
    select: SUMMARY_FIELDS,
    orderBy: [{ name: "asc" }, { scopeKey: "asc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: await summarize(db, orgId, page, new Date()),
    nextCursor: rows.length > limit && last ? Buffer.from(`${last.name}|${last.scopeKey}`, "utf8").toString("base64url") : null,
  };
}

type SummaryRow = Omit<SecretSummary, "scopeLabel" | "createdBy" | "updatedBy" | "rotation"> & {
  createdById: string | null;
  updatedById: string | null;
};

async function summarize(db: Db, orgId: string, rows: SummaryRow[], now: Date): Promise<SecretSummary[]> {
  const labels = await scopeLabels(db, orgId);
  const userIds = [...new Set(rows.flatMap((r) => [r.createdById, r.updatedById]).filter((v): v is string => Boolean(v)))];
  const users = userIds.length ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return rows.map(({ createdById, updatedById, ...r }) => ({
    ...r,
    scopeLabel: labels.get(r.scopeKey) ?? r.scope,
    createdBy: createdById ? (emails.get(createdById) ?? "a former member") : "operator",
    updatedBy: updatedById ? (emails.get(updatedById) ?? "a former member") : "operator",
    rotation: rotationStatus({ intervalDays: r.rotationIntervalDays, notifyBeforeDays: r.notifyBeforeDays, valueChangedAt: r.valueChangedAt }, now),
  }));
}
