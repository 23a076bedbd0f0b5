import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";
import { afterFactorRemoved } from "@/lib/server/two-factor/after-factor-removed";
import { SECURITY_KEY_NAME_MAX } from "./register-security-key";

const NOT_FOUND = "That security key does not exist.";

export interface SecurityKeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  deviceType: string;
  backedUp: boolean;
}

/** The user's keys for the settings page; never the public key or credential id. */
export async function listSecurityKeys(db: Db, userId: string): Promise<SecurityKeySummary[]> {
  return db.securityKey.findMany({
    where: { userId },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, deviceType: true, backedUp: true },
    orderBy: { createdAt: "asc" },
  });
}

/** Rename one of the user's own keys; a key of another user is "not found". */
export async function renameSecurityKey(
  db: Db,
  input: { userId: string; keyId: string; name: string; actor: UserActor; organizationId: string | null },
): Promise<{ id: string; name: string }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > SECURITY_KEY_NAME_MAX) {
    const message = `Give the key a name of 1 to ${SECURITY_KEY_NAME_MAX} characters.`;
    throw new AppError("validation_failed", message, { fieldErrors: { name: [message] } });
  }
  return db.$transaction(async (tx) => {
    const key = await tx.securityKey.findFirst({ where: { id: input.keyId, userId: input.userId }, select: { id: true, name: true } });
    if (!key) throw new AppError("not_found", NOT_FOUND);
    const renamed = await tx.securityKey.updateMany({ where: { id: key.id, userId: input.userId }, data: { name } });
    if (renamed.count !== 1) throw new AppError("not_found", NOT_FOUND);
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "security_key.renamed",
      resource: { type: "security_key", id: key.id, label: name },
      outcome: "success",
      metadata: { from: key.name, to: name },
    });
    return { id: key.id, name };
  });
}

/**
 * Remove one of the user's own keys (callers have checked sudo and a fresh
 * verification). Invariants, all in one transaction with the audit event:
 * a key of another user is "not found"; the user's other trusted sessions
 * become untrusted because their second factors changed; when this was the
 * last factor (no enabled TOTP, no key left) the recovery codes go too, since
 * they would otherwise be a second factor with nothing to recover.
 */
export async function removeSecurityKey(
  db: Db,
  input: { userId: string; keyId: string; actor: UserActor; organizationId: string | null; currentSessionId: string | null },
): Promise<{ id: string; name: string; lastFactorRemoved: boolean; sessionsUntrusted: number }> {
  return db.$transaction(async (tx) => {
    const key = await tx.securityKey.findFirst({ where: { id: input.keyId, userId: input.userId }, select: { id: true, name: true } });
    if (!key) throw new AppError("not_found", NOT_FOUND);
    const deleted = await tx.securityKey.deleteMany({ where: { id: key.id, userId: input.userId } });
    if (deleted.count !== 1) throw new AppError("not_found", NOT_FOUND);

    const { keysLeft, lastFactorRemoved, sessionsUntrusted } = await afterFactorRemoved(tx, input);
    await recordAuditEvent(tx, {
      organizationId: input.organizationId,
      ...auditByUser(input.actor),
      action: "security_key.removed",
      resource: { type: "security_key", id: key.id, label: key.name },
      outcome: "success",
      metadata: { keys_left: keysLeft, two_factor_disabled: lastFactorRemoved, sessions_untrusted: sessionsUntrusted },
    });
    return { id: key.id, name: key.name, lastFactorRemoved, sessionsUntrusted };
  });
}
