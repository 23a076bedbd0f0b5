import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { pruneAuditEvents, type PruneResult } from "@/lib/server/audit/prune-audit-events";
import { AUDIT_RETENTION_MAX_DAYS, AUDIT_RETENTION_MIN_DAYS } from "@/lib/validations/audit";
import { findOrganizationBySlug, operatorActor } from "./operator";

export interface PruneOutcome {
  org: { id: string; name: string; slug: string };
  retentionDays: number | null;
  result: PruneResult | null;
}

/**
 * `gatehouse audit prune [--org <slug>] [--days <n>]`: apply retention now,
 * as the operator (actor `system`). With --org, that organization (its
 * configured retention, or --days); without, every organization that set one.
 */
export async function pruneAuditAsOperator(db: Db, options: { orgSlug?: string; days?: number; archiveDir?: string }): Promise<PruneOutcome[]> {
  if (options.days !== undefined && !(Number.isInteger(options.days) && options.days >= AUDIT_RETENTION_MIN_DAYS && options.days <= AUDIT_RETENTION_MAX_DAYS)) {
    throw new AppError("validation_failed", `--days must be a whole number from ${AUDIT_RETENTION_MIN_DAYS} to ${AUDIT_RETENTION_MAX_DAYS}.`);
  }
  const orgs = options.orgSlug
    ? [await findOrganizationBySlug(db, options.orgSlug)]
    : await db.organization.findMany({ where: { id: { in: (await db.auditRetention.findMany({ select: { organizationId: true } })).map((r) => r.organizationId) } }, orderBy: { slug: "asc" }, select: { id: true, name: true, slug: true } });
  const outcomes: PruneOutcome[] = [];
  for (const org of orgs) {
    const configured = (await db.auditRetention.findUnique({ where: { organizationId: org.id } }))?.retentionDays ?? null;
    const retentionDays = options.days ?? configured;
    const result = retentionDays === null ? null : await pruneAuditEvents(db, org, { retentionDays, actor: operatorActor("audit prune"), archiveDir: options.archiveDir });
    outcomes.push({ org, retentionDays, result });
  }
  return outcomes;
}
