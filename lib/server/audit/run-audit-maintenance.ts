import "server-only";
import { hostname } from "node:os";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { isUniqueViolation } from "@/lib/server/db/errors";
import type { SystemActor } from "./actor";
import { verifyOrganizationChain } from "./verify-organization-chain";
import { pruneAuditEvents } from "./prune-audit-events";

export type AuditMaintenanceTask = "chain_check" | "prune";

/** Gatehouse's own background work, as audit events record it. */
export const NIGHTLY_ACTOR: SystemActor = { kind: "system", label: "nightly audit maintenance" };

/** How long a claim holds before another worker may take the task over (a worker that died mid-check). */
const LEASE_MS = 2 * 3_600_000;
const ORG_BATCH = 200;

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Claim one organization's task for one UTC day, across every worker and
 * instance: the first claimer inserts the row (primary key organization,
 * task, day); everyone else hits the key and gets false, unless the claim
 * was never completed and its lease ran out, in which case exactly one of
 * them takes it over with a conditional update.
 */
export async function claimAuditMaintenance(db: Db, claim: { organizationId: string; task: AuditMaintenanceTask; day: string; workerId: string; now: Date }): Promise<boolean> {
  const leaseUntil = new Date(claim.now.getTime() + LEASE_MS);
  try {
    await db.auditMaintenanceRun.create({ data: { organizationId: claim.organizationId, task: claim.task, day: claim.day, claimedBy: claim.workerId, leaseUntil } });
    return true;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const taken = await db.auditMaintenanceRun.updateMany({
    where: { organizationId: claim.organizationId, task: claim.task, day: claim.day, completedAt: null, leaseUntil: { lt: claim.now } },
    data: { claimedBy: claim.workerId, leaseUntil },
  });
  return taken.count === 1;
}

async function complete(db: Db, key: { organizationId: string; task: AuditMaintenanceTask; day: string }, workerId: string, now: Date) {
  await db.auditMaintenanceRun.updateMany({ where: { ...key, claimedBy: workerId }, data: { completedAt: now } });
}

export interface MaintenanceReport {
  checked: string[];
  pruned: string[];
  failed: { organizationId: string; task: AuditMaintenanceTask; error: string }[];
}

/**
 * One round of the daily audit maintenance: for every organization, today's
 * chain verification (recorded as a `system` audit.chain_verified event) and,
 * where a retention is set, today's prune (archive then delete). Each task is
 * claimed first, so any number of workers run each once per organization per
 * day. A failure is reported and leaves the claim to expire (retried after
 * the lease) rather than stopping the round.
 */
export async function runAuditMaintenance(db: Db, options: { workerId: string; now?: () => Date; archiveDir?: string }): Promise<MaintenanceReport> {
  const clock = options.now ?? (() => new Date());
  const report: MaintenanceReport = { checked: [], pruned: [], failed: [] };
  let after: string | undefined;
  for (;;) {
    const orgs = await db.organization.findMany({ where: after ? { id: { gt: after } } : {}, orderBy: { id: "asc" }, take: ORG_BATCH, select: { id: true, name: true } });
    if (orgs.length === 0) break;
    after = orgs.at(-1)!.id;
    const retention = new Map((await db.auditRetention.findMany({ where: { organizationId: { in: orgs.map((o) => o.id) } } })).map((r) => [r.organizationId, r.retentionDays]));
    for (const org of orgs) {
      const tasks: AuditMaintenanceTask[] = retention.has(org.id) ? ["prune", "chain_check"] : ["chain_check"];
      for (const task of tasks) {
        const now = clock();
        const key = { organizationId: org.id, task, day: utcDay(now) };
        if (!(await claimAuditMaintenance(db, { ...key, workerId: options.workerId, now }))) continue;
        try {
          if (task === "chain_check") {
            await verifyOrganizationChain(db, org, NIGHTLY_ACTOR);
            report.checked.push(org.id);
          } else {
            await pruneAuditEvents(db, org, { retentionDays: retention.get(org.id)!, actor: NIGHTLY_ACTOR, now, archiveDir: options.archiveDir });
            report.pruned.push(org.id);
          }
          await complete(db, key, options.workerId, clock());
        } catch (error) {
          report.failed.push({ organizationId: org.id, task, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
  return report;
}

export interface AuditMaintenanceLoop {
  stop(): Promise<void>;
}

/**
 * Run the daily maintenance from a long-lived process (the server's
 * in-process worker, or `npm run worker`): a round every `everyMs` (default
 * 15 minutes, the first one that long after start, so a restart loop never
 * hammers it); claims make all but the first round of a day, and every other
 * worker's rounds, cheap no-ops.
 */
export function startAuditMaintenance(db: Db, options: { everyMs?: number; archiveDir?: string } = {}): AuditMaintenanceLoop {
  const workerId = `${hostname()}:${process.pid}:${newId().slice(0, 8)}`;
  const everyMs = options.everyMs ?? 15 * 60_000;
  let running: Promise<void> | null = null;
  const round = () => {
    if (running) return;
    running = runAuditMaintenance(db, { workerId, archiveDir: options.archiveDir })
      .then((r) => {
        for (const f of r.failed) console.error(`[gatehouse] audit ${f.task} for organization ${f.organizationId} failed: ${f.error}`);
      })
      .catch((e) => console.error(`[gatehouse] audit maintenance round failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(round, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
