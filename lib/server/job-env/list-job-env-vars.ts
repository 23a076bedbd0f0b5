import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { JobEnvVarView } from "./job-env-json";
import { jobEnvVarNotFound } from "./update-job-env-var";

const FIELDS = { id: true, name: true, value: true, propId: true, createdAt: true, updatedAt: true, prop: { select: { name: true } } } as const;

/**
 * The organization's variables: organization-wide ones, then every Prop's
 * overrides (or one Prop's when `propId` is given), by name.
 */
export async function listJobEnvVars(db: Db, { orgId, propId }: { orgId: string; propId?: string | null }): Promise<JobEnvVarView[]> {
  const rows = await db.jobEnvVar.findMany({
    where: { organizationId: orgId, ...(propId ? { propId } : {}) },
    select: FIELDS,
    orderBy: [{ targetKey: "asc" }, { name: "asc" }],
    take: 5000,
  });
  return rows
    .map(({ prop, ...r }) => ({ ...r, propName: prop?.name ?? null }))
    .sort((a, b) => Number(a.propId !== null) - Number(b.propId !== null) || (a.propName ?? "").localeCompare(b.propName ?? "") || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function getJobEnvVar(db: Db, { orgId, id }: { orgId: string; id: string }): Promise<JobEnvVarView> {
  const row = await db.jobEnvVar.findFirst({ where: { id, organizationId: orgId }, select: FIELDS });
  if (!row) throw jobEnvVarNotFound();
  const { prop, ...r } = row;
  return { ...r, propName: prop?.name ?? null };
}
