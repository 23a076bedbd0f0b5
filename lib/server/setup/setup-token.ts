import "server-only";
import type { Db, Tx } from "@/lib/server/db/client";
import { newId, randomToken, sha256Hex } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";

const TOKEN_TTL_MS = 24 * 3_600_000;

export const SETUP_TOKEN_INVALID = "This setup link is not valid. Open the link printed in the server's output when Gatehouse started (restart the server to print a new one).";

/**
 * On a start with no owner yet, mint a one-time setup token and return it
 * (only its hash is stored); null once setup is complete. Every start mints
 * its own, so each printed link works until setup completes or it expires.
 */
export async function issueSetupToken(db: Db, now = new Date()): Promise<string | null> {
  if ((await db.user.count()) > 0) return null;
  const token = randomToken(24);
  await db.setupToken.create({ data: { id: newId(), tokenHash: sha256Hex(token), createdAt: now, expiresAt: new Date(now.getTime() + TOKEN_TTL_MS) } });
  return token;
}

/** Is this a live setup token? For the setup page; does not consume it. */
export async function isValidSetupToken(db: Db, token: string | null | undefined, now = new Date()): Promise<boolean> {
  if (!token || token.length > 128) return false;
  const row = await db.setupToken.findUnique({ where: { tokenHash: sha256Hex(token) } });
  return row !== null && row.expiresAt > now;
}

/**
 * Spend a setup token inside the setup transaction, with a conditional delete
 * so one link sets up at most once; every other token goes with it, because
 * setup happens once. Throws AppError("setup_token_invalid").
 */
export async function consumeSetupToken(tx: Tx, token: string, now = new Date()): Promise<void> {
  const { count } = await tx.setupToken.deleteMany({ where: { tokenHash: sha256Hex(token), expiresAt: { gt: now } } });
  if (count !== 1) throw new AppError("setup_token_invalid", SETUP_TOKEN_INVALID);
  await tx.setupToken.deleteMany({});
}
