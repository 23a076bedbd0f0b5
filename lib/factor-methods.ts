export type FactorMethod = "password" | "totp" | "recovery_code" | "security_key";

interface Factors {
  totpEnabled: boolean;
  securityKeyCount: number;
}

/** The user's second factors; also what removing a factor accepts as fresh proof. */
export function secondFactorMethods(f: Factors): FactorMethod[] {
  return [...(f.totpEnabled ? (["totp"] as const) : []), ...(f.securityKeyCount > 0 ? (["security_key"] as const) : [])];
}

/**
 * Sudo opens with a second factor when the user has one (TOTP or a security
 * key, as GitHub does): a stolen password alone must not unlock sensitive
 * actions such as adding a key. The password only for a user without one.
 */
export function sudoMethods(f: Factors): FactorMethod[] {
  const second = secondFactorMethods(f);
  return second.length > 0 ? second : ["password"];
}

/** Trust is restored with a second factor; the password only when the user has none. */
export function trustMethods(f: Factors): FactorMethod[] {
  const second = secondFactorMethods(f);
  return second.length > 0 ? [...second, "recovery_code"] : ["password"];
}

/** The sign-in challenge accepts any second factor, and recovery codes. */
export function challengeMethods(f: Factors): FactorMethod[] {
  return [...secondFactorMethods(f), "recovery_code"];
}
