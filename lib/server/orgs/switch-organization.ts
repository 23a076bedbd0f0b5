import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";

/** Point a session at another organization the user belongs to. */
export async function switchOrganization(db: Db, input: { sessionId: string; userId: string; orgId: string }) {
  const membership = await db.membership.findUnique({
    where: { userId_organizationId: { userId: input.userId, organizationId: input.orgId } },
  });
  if (!membership) throw new AppError("not_found", "That organization does not exist.");
  await db.session.update({ where: { id: input.sessionId }, data: { activeOrgId: input.orgId } });
}
