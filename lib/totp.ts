import { randomBytes } from "node:crypto";
import { generate, ScureBase32Plugin, verify } from "otplib";

// RFC 6238 with the parameters every authenticator app understands.
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const SECRET_BYTES = 20;
const base32 = new ScureBase32Plugin();

/** A fresh TOTP secret: 20 random bytes (160 bits, RFC 4226's recommendation) as unpadded base32. */
export function generateTotpSecret(): string {
  return base32.encode(randomBytes(SECRET_BYTES), { padding: false });
}

/** The code for `secretBase32` at `epochSeconds` (SHA-1, 30 s period). */
export function totpAt(secretBase32: string, epochSeconds: number, digits = DIGITS): Promise<string> {
  return generate({ secret: secretBase32, epoch: Math.floor(epochSeconds), algorithm: "sha1", digits, period: PERIOD_SECONDS });
}

export type TotpCheck = { valid: true; timeStep: number } | { valid: false };

/**
 * Check a 6-digit code against the secret.
 * Invariants: accepts the current time step and one step either side (clock
 * drift), never a step <= `afterTimeStep` (a code already accepted cannot be
 * replayed), and answers `{ valid: false }` for any malformed input instead of
 * throwing, so callers can pass user input straight through. Whitespace is
 * ignored because authenticator apps display codes as "123 456".
 * The returned `timeStep` must be recorded by the caller (with a conditional
 * update) to make the replay bound hold across requests.
 */
export async function checkTotp(
  secretBase32: string,
  code: string,
  options: { epochSeconds?: number; afterTimeStep?: number | null } = {},
): Promise<TotpCheck> {
  const token = code.replace(/\s+/g, "");
  if (!/^[0-9]{6}$/.test(token)) return { valid: false };

  const epoch = Math.floor(options.epochSeconds ?? Date.now() / 1000);
  const afterTimeStep = options.afterTimeStep ?? undefined;
  // otplib throws when afterTimeStep lies beyond the window (e.g. the server
  // clock went backwards); every candidate step would be refused anyway.
  const newestStep = Math.floor(epoch / PERIOD_SECONDS) + 1;
  if (afterTimeStep !== undefined && afterTimeStep >= newestStep) return { valid: false };

  const result = await verify({
    secret: secretBase32,
    token,
    epoch,
    algorithm: "sha1",
    digits: DIGITS,
    period: PERIOD_SECONDS,
    // ±30 s is exactly one step either side of the current one.
    epochTolerance: PERIOD_SECONDS,
    afterTimeStep,
  });
  // otplib types `verify` for both strategies; only the TOTP result carries timeStep.
  return result.valid && "timeStep" in result ? { valid: true, timeStep: result.timeStep } : { valid: false };
}

/**
 * The otpauth:// URI an authenticator app scans. Parameters are spelled out
 * even where they equal the defaults, because some apps guess otherwise.
 */
export function totpUri(input: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = [
    ["secret", input.secret],
    ["issuer", input.issuer],
    ["algorithm", "SHA1"],
    ["digits", String(DIGITS)],
    ["period", String(PERIOD_SECONDS)],
  ]
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return `otpauth://totp/${label}?${params}`;
}
