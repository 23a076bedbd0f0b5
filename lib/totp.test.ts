import { describe, expect, it } from "vitest";
import { checkTotp, generateTotpSecret, totpAt, totpUri } from "./totp";

// RFC 6238 Appendix B, SHA-1: the ASCII seed "12345678901234567890" in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

// Middle of step 40_000_000, so ±30 s stays inside the neighbouring steps.
const NOW = 40_000_000 * 30 + 15;
const STEP = 40_000_000;

describe("totp", () => {
  it.each(RFC_VECTORS)("matches the RFC 6238 SHA-1 vector at T=%i", async (time, expected) => {
    expect(await totpAt(RFC_SECRET, time, 8)).toBe(expected);
    // 6-digit codes are the low six digits of the same value.
    expect(await totpAt(RFC_SECRET, time)).toBe(expected.slice(2));
  });

  it("generates 20-byte unpadded base32 secrets that differ each time", () => {
    const a = generateTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(a);
  });

  it("accepts the current step and one step either side, and reports the matched step", async () => {
    const secret = generateTotpSecret();
    for (const offset of [-1, 0, 1]) {
      const code = await totpAt(secret, NOW + offset * 30);
      expect(await checkTotp(secret, code, { epochSeconds: NOW })).toEqual({ valid: true, timeStep: STEP + offset });
    }
  });

  it("refuses codes two steps away", async () => {
    // Fixed secret and time, so no chance collision with a neighbouring step's code.
    const window = await Promise.all([-1, 0, 1].map((o) => totpAt(RFC_SECRET, NOW + o * 30)));
    for (const offset of [-2, 2]) {
      const code = await totpAt(RFC_SECRET, NOW + offset * 30);
      expect(window).not.toContain(code);
      expect(await checkTotp(RFC_SECRET, code, { epochSeconds: NOW })).toEqual({ valid: false });
    }
  });

  it("never accepts a step at or before afterTimeStep (replay)", async () => {
    const secret = generateTotpSecret();
    const current = await totpAt(secret, NOW);
    expect(await checkTotp(secret, current, { epochSeconds: NOW, afterTimeStep: STEP })).toEqual({ valid: false });
    expect(await checkTotp(secret, current, { epochSeconds: NOW, afterTimeStep: STEP - 1 })).toEqual({ valid: true, timeStep: STEP });
    const previous = await totpAt(secret, NOW - 30);
    expect(await checkTotp(secret, previous, { epochSeconds: NOW, afterTimeStep: STEP - 1 })).toEqual({ valid: false });
    // The next step's code is still usable after the current one was consumed.
    const next = await totpAt(secret, NOW + 30);
    expect(await checkTotp(secret, next, { epochSeconds: NOW, afterTimeStep: STEP })).toEqual({ valid: true, timeStep: STEP + 1 });
    // A recorded step beyond the window (clock went backwards) refuses instead of throwing.
    expect(await checkTotp(secret, current, { epochSeconds: NOW, afterTimeStep: STEP + 5 })).toEqual({ valid: false });
    expect(await checkTotp(secret, current, { epochSeconds: NOW, afterTimeStep: null })).toEqual({ valid: true, timeStep: STEP });
  });

  it("refuses malformed input without throwing", async () => {
    const secret = generateTotpSecret();
    const code = await totpAt(secret, NOW);
    for (const garbage of ["", "12345", "1234567", "abcdef", "12345a", "-12345", "１２３４５６", `${code}0`, code.slice(1), "123456\u0000"]) {
      expect(await checkTotp(secret, garbage, { epochSeconds: NOW })).toEqual({ valid: false });
    }
    // Spaces as authenticator apps display them are fine.
    expect(await checkTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, { epochSeconds: NOW })).toEqual({ valid: true, timeStep: STEP });
  });

  it("refuses a correct code for another secret", async () => {
    const other = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const code = await totpAt(RFC_SECRET, NOW);
    const window = await Promise.all([-1, 0, 1].map((o) => totpAt(other, NOW + o * 30)));
    expect(window).not.toContain(code);
    expect(await checkTotp(other, code, { epochSeconds: NOW })).toEqual({ valid: false });
  });

  it("builds an otpauth URI with every parameter explicit", () => {
    const uri = totpUri({ issuer: "Gatehouse", account: "ada+ops@example.test", secret: RFC_SECRET });
    expect(uri).toBe(
      `otpauth://totp/Gatehouse:ada%2Bops%40example.test?secret=${RFC_SECRET}&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30`,
    );
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe("otpauth:");
    expect(parsed.searchParams.get("issuer")).toBe("Gatehouse");
  });
});
