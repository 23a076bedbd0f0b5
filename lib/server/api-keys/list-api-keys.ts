import "server-only";
import type { Db } from "@/lib/server/db/client";
import { toPublicApiKey, type PublicApiKey } from "./public-api-key";

export type ListedApiKey = PublicApiKey & { owner: { id: string; email: string; name: string } | null };

/**
 * The organization's keys (all of them for owners, admins and keys:manage
 * keys; a member's own otherwise), newest first, with owner and agent names.
 */
export async function listApiKeys(db: Db, input: { orgId: string; userId: string; manageAll: boolean }): Promise<ListedApiKey[]> {
  const rows = await db.apiKey.findMany({
    where: { organizationId: input.orgId, ...(input.manageAll ? {} : { ownerId: input.userId }) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 500,
  });
  const ownerIds = [...new Set(rows.map((r) => r.ownerId))];
  const agentIds = [...new Set(rows.flatMap((r) => (r.agentId ? [r.agentId] : [])))];
  const [owners, agents] = await Promise.all([
    db.user.findMany({ where: { id: { in: ownerIds } }, select: { id: true, email: true, name: true } }),
    db.platformResource.findMany({ where: { id: { in: agentIds }, organizationId: input.orgId }, select: { id: true, name: true } }),
  ]);
  return rows.map((row) => ({
    ...toPublicApiKey(row, { agentName: agents.find((a) => a.id === row.agentId)?.name ?? null }),
    owner: owners.find((o) => o.id === row.ownerId) ?? null,
  }));
}
