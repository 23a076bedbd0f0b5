import "server-only";
import type { Db } from "@/lib/server/db/client";

/** The session's open sudo window, or null. Ended or expired grants never count. */
export async function getActiveSudoGrant(db: Db, sessionId: string, now = new Date()) {
  return db.sudoGrant.findFirst({
    where: { sessionId, endedAt: null, expiresAt: { gt: now } },
    orderBy: { expiresAt: "desc" },
  });
}
