import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { getConfig } from "@/lib/server/config";
import { randomToken } from "@/lib/server/crypto";
import { describeUserAgent } from "@/lib/user-agent";
import type { RequestContext } from "@/lib/server/request-context";

export type TrustState = "pending_second_factor" | "trusted" | "untrusted";

interface CreateSessionInput {
  userId: string;
  activeOrgId: string | null;
  context: RequestContext;
  trustState: TrustState;
  trustReason: string;
  trustFactor: string | null;
}

/**
 * Create the Session row that a browser's JWT will point at. The id is a
 * 256-bit random token and stays secret (it is what the cookie carries); the
 * separate `publicId` names the session in lists, actions and audit events.
 */
export async function createSession(tx: Tx, input: CreateSessionInput) {
  const config = getConfig();
  const now = new Date();
  return tx.session.create({
    data: {
      id: randomToken(32),
      publicId: randomToken(16),
      userId: input.userId,
      activeOrgId: input.activeOrgId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + config.sessionMaxAgeMs),
      idleExpiresAt: new Date(now.getTime() + config.sessionIdleMs),
      ip: input.context.ip,
      userAgent: input.context.userAgent,
      deviceLabel: describeUserAgent(input.context.userAgent).label,
      trustState: input.trustState,
      trustReason: input.trustReason,
      trustChangedAt: now,
      trustFactor: input.trustFactor,
    },
  });
}
