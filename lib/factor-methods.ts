export type FactorMethod = "password" | "totp" | "recovery_code" | "security_key";

interface Factors {
  totpEnabled: boolean;
  securityKeyCount: number;
}

/** Sudo opens with the password, a TOTP code or a security key (DESIGN.md "Sudo mode"). */
export function sudoMethods(f: Factors): FactorMethod[] {
  return [...(f.totpEnabled ? (["totp"] as const) : []), ...(f.securityKeyCount > 0 ? (["security_key"] as const) : []), "password"];
}

/** Trust is restored with a second factor; the password only when the user has none. */
export function trustMethods(f: Factors): FactorMethod[] {
  const second: FactorMethod[] = [...(f.totpEnabled ? (["totp"] as const) : []), ...(f.securityKeyCount > 0 ? (["security_key"] as const) : [])];
  return second.length > 0 ? [...second, "recovery_code"] : ["password"];
}

/** The sign-in challenge accepts any second factor, and recovery codes. */
export function challengeMethods(f: Factors): FactorMethod[] {
  return [...(f.totpEnabled ? (["totp"] as const) : []), ...(f.securityKeyCount > 0 ? (["security_key"] as const) : []), "recovery_code"];
}
