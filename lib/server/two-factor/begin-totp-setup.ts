import "server-only";
import QRCode from "qrcode";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { generateTotpSecret, totpUri } from "@/lib/totp";
import { sealTotpSecret } from "./totp-secret-box";

export const TOTP_ISSUER = "Gatehouse";

export interface TotpSetup {
  /** Base32 secret, shown as text for apps that cannot scan. */
  secret: string;
  uri: string;
  qrSvg: string;
  /** `data:image/svg+xml;base64,…` for an <img>, so the SVG is never injected as markup. */
  qrDataUrl: string;
}

/**
 * Start (or restart) authenticator-app enrolment: a fresh secret in a pending
 * credential (enabledAt null) that replaces any earlier pending one. Nothing is
 * enabled until `confirmTotpSetup` sees a correct code, so no audit event here.
 * Refuses while TOTP is already enabled: replacing a working secret must go
 * through disabling it (sudo + fresh code) first.
 */
export async function beginTotpSetup(db: Db, input: { userId: string; email: string }): Promise<TotpSetup> {
  const secret = generateTotpSecret();
  await db.$transaction(async (tx) => {
    const existing = await tx.totpCredential.findUnique({ where: { userId: input.userId }, select: { enabledAt: true } });
    if (existing?.enabledAt) throw new AppError("conflict", "Two-factor authentication with an authenticator app is already on.");
    // Only a pending row may be replaced, even if a confirm raced in since the read above.
    await tx.totpCredential.deleteMany({ where: { userId: input.userId, enabledAt: null } });
    // A new id per attempt: the ciphertext is bound to it, and a confirm still
    // holding the previous row's id can no longer match.
    const id = newId();
    await tx.totpCredential.create({ data: { id, userId: input.userId, secretCiphertext: sealTotpSecret(id, secret) } });
  });

  const uri = totpUri({ issuer: TOTP_ISSUER, account: input.email, secret });
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1 });
  return { secret, uri, qrSvg, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}` };
}
