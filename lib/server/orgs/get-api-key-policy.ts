import "server-only";
import type { Db } from "@/lib/server/db/client";

/** The organization's API key policy: the maximum lifetime of new keys in days (null: none). */
export async function getApiKeyPolicy(db: Db, orgId: string): Promise<{ maxLifetimeDays: number | null }> {
  const org = await db.organization.findUniqueOrThrow({ where: { id: orgId }, select: { apiKeyMaxLifetimeDays: true } });
  return { maxLifetimeDays: org.apiKeyMaxLifetimeDays };
}
