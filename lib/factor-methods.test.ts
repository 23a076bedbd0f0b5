import { describe, expect, it } from "vitest";
import { challengeMethods, sudoMethods, trustMethods } from "./factor-methods";

describe("sudoMethods", () => {
  it("asks a user with a second factor for that factor, never the password alone", () => {
    expect(sudoMethods({ totpEnabled: true, securityKeyCount: 0 })).toEqual(["totp"]);
    expect(sudoMethods({ totpEnabled: false, securityKeyCount: 2 })).toEqual(["security_key"]);
    expect(sudoMethods({ totpEnabled: true, securityKeyCount: 1 })).toEqual(["totp", "security_key"]);
    for (const f of [{ totpEnabled: true, securityKeyCount: 0 }, { totpEnabled: false, securityKeyCount: 1 }]) {
      expect(sudoMethods(f)).not.toContain("password");
    }
  });

  it("falls back to the password only for a user without a second factor", () => {
    expect(sudoMethods({ totpEnabled: false, securityKeyCount: 0 })).toEqual(["password"]);
  });

  it("keeps recovery codes for sign-in and trust, not for sudo", () => {
    const f = { totpEnabled: true, securityKeyCount: 0 };
    expect(challengeMethods(f)).toContain("recovery_code");
    expect(trustMethods(f)).toContain("recovery_code");
    expect(sudoMethods(f)).not.toContain("recovery_code");
  });
});
