import "server-only";
import { isUniqueViolation } from "@/lib/server/db/errors";
import { randomBytes } from "node:crypto";
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoUint8Array } from "@simplewebauthn/server/helpers";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

import { createChallenge, takeChallenge } from "./challenges";
import { getRelyingParty } from "./relying-party";
import { MAX_STORABLE_COUNTER, parseTransports } from "./authenticate-security-key";

export const SECURITY_KEY_NAME_MAX = 60;

const EXPIRED = "This security key request has expired or was already used. Start again.";
const DUPLICATE = "This security key is already registered.";

/**
 * Creation options for a new key of the signed-in user. The challenge is bound
 * to this user and session. The user handle is the user's id (random, no
 * personal data) so that a discoverable credential names its owner at sign-in.
 */
export async function startSecurityKeyRegistration(
  db: Db,
  input: { userId: string; email: string; displayName: string; sessionId: string },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = getRelyingParty();
  const existing = await db.securityKey.findMany({
    where: { userId: input.userId },
    select: { credentialId: true, transports: true },
  });
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: input.email,
    userID: isoUint8Array.fromUTF8String(input.userId),
    userDisplayName: input.displayName,
    challenge: new Uint8Array(randomBytes(32)),
    attestationType: "none",
    // The browser refuses to register an authenticator that already holds one of these.
    excludeCredentials: existing.map((k) => ({ id: k.credentialId, transports: parseTransports(k.transports) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await createChallenge(db, { purpose: "register", userId: input.userId, sessionId: input.sessionId, challenge: options.challenge });
  return options;
}

/**
 * Verify a registration response and store the credential with its audit
 * event in one transaction. Invariants: the challenge is consumed before
 * anything else, so every attempt (good or bad) ends the ceremony; origin and
 * RP id come from configuration; a hostile or malformed response is a
 * validation_failed AppError, never an unhandled exception; a credential id is
 * stored at most once across all users.
 */
export async function finishSecurityKeyRegistration(
  db: Db,
  input: {
    userId: string;
    sessionId: string;
    name: string;
    response: RegistrationResponseJSON;
    actor: UserActor;
    organizationId: string | null;
  },
): Promise<{ id: string; name: string }> {
  const challenge = await takeChallenge(db, { purpose: "register", userId: input.userId, sessionId: input.sessionId });
  if (challenge === null) throw new AppError("validation_failed", EXPIRED);

  const name = input.name.trim();
  if (name.length < 1 || name.length > SECURITY_KEY_NAME_MAX) {
    const message = `Give the key a name of 1 to ${SECURITY_KEY_NAME_MAX} characters.`;
    throw new AppError("validation_failed", message, { fieldErrors: { name: [message] } });
  }

  const info = await verifyRegistration(input.response, challenge);
  if (info.credential.counter > MAX_STORABLE_COUNTER) {
    throw new AppError("validation_failed", "This security key reports a signature counter Gatehouse cannot store.");
  }

  try {
    return await db.$transaction(async (tx) => {
      if (await tx.securityKey.findUnique({ where: { credentialId: info.credential.id }, select: { id: true } })) {
        throw new AppError("conflict", DUPLICATE);
      }
      const key = await tx.securityKey.create({
        data: {
          id: newId(),
          userId: input.userId,
          name,
          credentialId: info.credential.id,
          publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
          counter: info.credential.counter,
          transports: JSON.stringify(info.credential.transports ?? []),
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
        },
        select: { id: true, name: true },
      });
      await recordAuditEvent(tx, {
        organizationId: input.organizationId,
        ...auditByUser(input.actor),
        action: "security_key.registered",
        resource: { type: "security_key", id: key.id, label: key.name },
        outcome: "success",
        metadata: { device_type: info.credentialDeviceType, backed_up: info.credentialBackedUp, user_verified: info.userVerified },
      });
      return key;
    });
  } catch (e) {
    // A concurrent registration of the same credential loses on the unique index.
    if (isUniqueViolation(e)) throw new AppError("conflict", DUPLICATE);
    throw e;
  }
}

async function verifyRegistration(response: RegistrationResponseJSON, expectedChallenge: string) {
  const rp = getRelyingParty();
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      // "preferred": a key without a PIN is still a valid second factor.
      requireUserVerification: false,
    });
    if (result.verified) return result.registrationInfo;
  } catch {
    // The library throws plain Errors describing the defect; the user only needs to know it failed.
  }
  throw new AppError("validation_failed", "That security key could not be registered. Try again.");
}
