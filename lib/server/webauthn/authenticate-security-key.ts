import "server-only";
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { createChallenge, takeChallenge } from "./challenges";
import { getRelyingParty } from "./relying-party";

const NOT_VERIFIED = "That security key could not be verified. Try again.";
const EXPIRED = "This security key request has expired or was already used. Start again.";

/**
 * Ask the browser for an assertion from one of the user's own keys, as a second
 * factor (sign-in), for sudo or to restore trust. The challenge is bound to this
 * user and this session, so it cannot be answered from another session.
 */
export async function startSecurityKeyAuthentication(
  db: Db,
  input: { userId: string; sessionId: string },
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const keys = await db.securityKey.findMany({
    where: { userId: input.userId },
    select: { credentialId: true, transports: true },
    orderBy: { createdAt: "asc" },
  });
  if (keys.length === 0) throw new AppError("not_found", "You have no security keys registered.");
  const options = await generateAuthenticationOptions({
    rpID: getRelyingParty().rpID,
    challenge: new Uint8Array(randomBytes(32)),
    allowCredentials: keys.map((k) => ({ id: k.credentialId, transports: parseTransports(k.transports) })),
    userVerification: "preferred",
  });
  await createChallenge(db, { purpose: "authenticate", userId: input.userId, sessionId: input.sessionId, challenge: options.challenge });
  return options;
}

/**
 * Check an assertion against the user's pending challenge and their own keys.
 * Invariants: the challenge is consumed before verification (one answer per
 * challenge, even a wrong one); a key of another user is treated exactly like
 * an unknown key; a signature counter that did not advance (a possible cloned
 * authenticator) is refused unless both counters are zero; the counter update
 * is conditional on the old value, so two assertions cannot both advance it.
 * Writes no audit event: the caller audits the purpose (sign-in, sudo, trust).
 */
export async function verifySecurityKeyAssertion(
  db: Db,
  input: { userId: string; sessionId: string; response: AuthenticationResponseJSON },
): Promise<{ keyId: string; keyName: string }> {
  const challenge = await takeChallenge(db, { purpose: "authenticate", userId: input.userId, sessionId: input.sessionId });
  if (challenge === null) throw new AppError("validation_failed", EXPIRED);

  const credentialId = input.response?.id;
  if (typeof credentialId !== "string" || credentialId === "") throw new AppError("validation_failed", NOT_VERIFIED);
  const key = await db.securityKey.findFirst({ where: { credentialId, userId: input.userId } });
  if (!key) throw new AppError("validation_failed", NOT_VERIFIED);

  const ok = await verifyAssertionAndRecordUse(db, key, challenge, input.response, { requireUserVerification: false });
  if (!ok.verified) throw new AppError("validation_failed", NOT_VERIFIED);
  return { keyId: key.id, keyName: key.name };
}

interface StoredKey {
  id: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string;
}

/**
 * Verify an assertion made with a stored key and, only if it verifies, advance
 * the key's counter with an update conditional on the counter we verified
 * against. Never throws for a malformed or hostile response: the library's
 * errors become `{ verified: false }` so callers can answer with their own
 * AppError instead of a 500. Shared by second-factor and passkey sign-in.
 */
export async function verifyAssertionAndRecordUse(
  db: Db,
  key: StoredKey,
  expectedChallenge: string,
  response: AuthenticationResponseJSON,
  options: { requireUserVerification: boolean },
): Promise<{ verified: boolean; userVerified: boolean }> {
  const rp = getRelyingParty();
  let result: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: key.credentialId,
        publicKey: isoBase64URL.toBuffer(key.publicKey),
        counter: key.counter,
        transports: parseTransports(key.transports),
      },
      requireUserVerification: options.requireUserVerification,
    });
  } catch {
    return { verified: false, userVerified: false };
  }
  if (!result.verified) return { verified: false, userVerified: false };

  const { newCounter, credentialBackedUp, userVerified } = result.authenticationInfo;
  if (newCounter > MAX_STORABLE_COUNTER) return { verified: false, userVerified: false };
  const updated = await db.securityKey.updateMany({
    where: { id: key.id, counter: key.counter },
    data: { counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: new Date() },
  });
  return { verified: updated.count === 1, userVerified };
}

/** WebAuthn counters are unsigned 32-bit; the column is a signed 32-bit Int on PostgreSQL. */
export const MAX_STORABLE_COUNTER = 2_147_483_647;

/** Transports are stored as a JSON array; anything unreadable just means "no hint". */
export function parseTransports(stored: string): string[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}
