export type FactorMethod = "password" | "totp" | "recovery_code" | "security_key";

interface Factors {
  totpEnabled: boolean;
  securityKeyCount: number;
}

/** The user's second factors; also what removing a factor accepts as fresh proof. */
export function secondFactorMethods(f: Factors): FactorMethod[] {
  return [...(f.totpEnabled ? (["totp"] as const) : []), ...(f.securityKeyCount > 0 ? (["security_key"] as const) : [])];
}

/** Sudo opens with the password, a TOTP code or a security key (DESIGN.md "Sudo mode"). */
export function sudoMethods(f: Factors): FactorMethod[] {
  return [...secondFactorMethods(f), "password"];
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
