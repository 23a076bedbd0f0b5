import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";

export type ChallengePurpose = "register" | "authenticate" | "sign_in";

/** Long enough for a user to find and touch a key; short enough that a leaked challenge is useless. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

interface ChallengeBinding {
  purpose: ChallengePurpose;
  userId: string | null;
  sessionId: string | null;
}

/**
 * Store a ceremony's challenge bound to a purpose, user and session, valid for
 * five minutes. A new ceremony for the same user and session supersedes the
 * previous one (only the newest can be answered). Anonymous sign-in challenges
 * are only ever found by id, so they never supersede each other.
 */
export async function createChallenge(db: Db, input: ChallengeBinding & { challenge: string }): Promise<{ id: string }> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    // Opportunistic clean-up keeps the table small without a background job.
    await tx.webAuthnChallenge.deleteMany({ where: { expiresAt: { lte: now } } });
    if (input.userId !== null || input.sessionId !== null) {
      await tx.webAuthnChallenge.deleteMany({
        where: { purpose: input.purpose, userId: input.userId, sessionId: input.sessionId },
      });
    }
    const row = await tx.webAuthnChallenge.create({
      data: {
        id: newId(),
        purpose: input.purpose,
        userId: input.userId,
        sessionId: input.sessionId,
        challenge: input.challenge,
        expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
        createdAt: now,
      },
      select: { id: true },
    });
    return { id: row.id };
  });
}

/**
 * Consume the newest unexpired challenge bound to exactly this purpose, user
 * and session (and id, when given). Invariants: the row is deleted before the
 * value is returned, and deletion is a conditional delete whose count must be
 * 1, so of two racing callers exactly one receives it and a challenge can be
 * answered at most once. Returns null when there is none, it expired, or it
 * is bound to another user or session.
 */
export async function takeChallenge(db: Db, input: ChallengeBinding & { id?: string }): Promise<string | null> {
  const now = new Date();
  const where = {
    purpose: input.purpose,
    userId: input.userId,
    sessionId: input.sessionId,
    expiresAt: { gt: now },
    ...(input.id !== undefined ? { id: input.id } : {}),
  };
  const found = await db.webAuthnChallenge.findFirst({
    where,
    orderBy: { createdAt: "desc" },
    select: { id: true, challenge: true },
  });
  if (!found) return null;
  const deleted = await db.webAuthnChallenge.deleteMany({ where: { ...where, id: found.id } });
  return deleted.count === 1 ? found.challenge : null;
}
