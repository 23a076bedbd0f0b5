import "server-only";
import type { Db } from "@/lib/server/db/client";

/** The most recent events of one organization, newest first (the full viewer comes later). */
export async function listRecentAuditEvents(db: Db, orgId: string, take = 50) {
  return db.auditEvent.findMany({
    where: { organizationId: orgId },
    orderBy: { seq: "desc" },
    take,
  });
}
