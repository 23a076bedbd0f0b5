import "server-only";
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import { createChallenge, takeChallenge } from "./challenges";
import { getRelyingParty } from "./relying-party";
import { verifyAssertionAndRecordUse } from "./authenticate-security-key";

const NOT_VERIFIED = "That security key could not be verified.";

/**
 * Options for a username-less sign-in with a discoverable credential. Nobody
 * is signed in yet, so the challenge is bound to no user or session and is
 * found again by the returned id (the caller keeps it, e.g. in a short-lived
 * cookie). Unauthenticated: callers must rate-limit it per IP.
 */
export async function startPasskeySignIn(db: Db): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const options = await generateAuthenticationOptions({
    rpID: getRelyingParty().rpID,
    challenge: new Uint8Array(randomBytes(32)),
    userVerification: "preferred",
  });
  const { id } = await createChallenge(db, { purpose: "sign_in", userId: null, sessionId: null, challenge: options.challenge });
  return { challengeId: id, options };
}

/**
 * Verify a passkey sign-in and name the user it belongs to. Invariants: the
 * challenge is consumed before verification; every failure (unknown, expired
 * or reused challenge, unknown key, bad signature, counter regression, user
 * handle of another user, no user verification) is the same `unauthenticated`
 * error, so the answer reveals nothing about which accounts or keys exist.
 * User verification is required here even though the options only prefer it:
 * this assertion replaces both the password and the second factor, so a key
 * that was merely touched (possession only) must not sign anyone in.
 */
export async function verifyPasskeySignIn(
  db: Db,
  input: { challengeId: string; response: AuthenticationResponseJSON },
): Promise<{ userId: string; keyId: string; keyName: string }> {
  const fail = () => new AppError("unauthenticated", NOT_VERIFIED);

  const challenge = await takeChallenge(db, { id: input.challengeId, purpose: "sign_in", userId: null, sessionId: null });
  if (challenge === null) throw fail();

  const credentialId = input.response?.id;
  if (typeof credentialId !== "string" || credentialId === "") throw fail();
  const key = await db.securityKey.findUnique({ where: { credentialId } });
  if (!key) throw fail();

  // WebAuthn requires the user handle when nobody was identified beforehand; it
  // names the credential's owner and must be the owner of the stored key.
  const userHandle = input.response.response?.userHandle;
  if (typeof userHandle !== "string" || isoBase64URL.trimPadding(userHandle) !== isoBase64URL.fromUTF8String(key.userId)) throw fail();

  const result = await verifyAssertionAndRecordUse(db, key, challenge, input.response, { requireUserVerification: true });
  if (!result.verified) throw fail();
  return { userId: key.userId, keyId: key.id, keyName: key.name };
}
