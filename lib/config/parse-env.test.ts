import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnv } from "./parse-env";
import { checkConfig } from "./check-config";

const GOOD = {
  APP_ENV: "production",
  SESSION_SECRET: "x".repeat(40),
  GATEHOUSE_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
  PUBLIC_URL: "https://gatehouse.example.com",
};

function tmp() {
  return mkdtempSync(path.join(os.tmpdir(), "gatehouse-config-"));
}

describe("production hardening", () => {
  it("accepts a safe production configuration", () => {
    const outcome = checkConfig(GOOD, tmp());
    expect(outcome.ok).toBe(true);
  });

  it("refuses a short SESSION_SECRET and names the 32-character minimum", () => {
    const outcome = checkConfig({ ...GOOD, SESSION_SECRET: "short" }, tmp());
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.errors.join("\n")).toMatch(/SESSION_SECRET is too short \(5 characters\): it must be at least 32 characters/);
  });

  it("names every problem at once", () => {
    const outcome = checkConfig(
      { APP_ENV: "production", ENABLE_DOCS: "true", ENABLE_DEVELOPER_ROUTES: "true", PUBLIC_URL: "http://gatehouse.example.com" },
      tmp(),
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const text = outcome.errors.join("\n");
    for (const name of ["SESSION_SECRET", "GATEHOUSE_MASTER_KEY", "ENABLE_DOCS", "ENABLE_DEVELOPER_ROUTES", "PUBLIC_URL must use https"]) {
      expect(text).toContain(name);
    }
  });

  it("accepts NEXTAUTH_SECRET in place of SESSION_SECRET", () => {
    const { SESSION_SECRET: _unused, ...rest } = GOOD;
    expect(checkConfig({ ...rest, NEXTAUTH_SECRET: "y".repeat(32) }, tmp()).ok).toBe(true);
  });

  it("turns the same problems into warnings in staging", () => {
    const outcome = checkConfig({ APP_ENV: "staging", SESSION_SECRET: "short", ENABLE_DOCS: "true" }, tmp());
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.warnings.some((w) => w.includes("SESSION_SECRET"))).toBe(true);
      expect(outcome.warnings.some((w) => w.includes("ENABLE_DOCS"))).toBe(true);
    }
  });

  it("refuses an empty or missing session secret in staging too, where a short one is only a warning", () => {
    for (const SESSION_SECRET of [undefined, ""]) {
      const outcome = checkConfig({ APP_ENV: "staging", SESSION_SECRET }, tmp());
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.errors.join("\n")).toMatch(/SESSION_SECRET is missing/);
    }
    const short = checkConfig({ APP_ENV: "staging", SESSION_SECRET: "short" }, tmp());
    expect(short.ok).toBe(true);
    if (short.ok) expect(short.warnings.join("\n")).toMatch(/SESSION_SECRET is too short/);
  });

  it("rejects a master key that is not 32 bytes of base64 in any environment", () => {
    const result = parseEnv({ ...GOOD, APP_ENV: "development", GATEHOUSE_MASTER_KEY: "dG9vLXNob3J0" });
    expect(result.ok).toBe(false);
  });

  it("rejects a malformed value with the variable's name", () => {
    const result = parseEnv({ APP_ENV: "prod" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatch(/^APP_ENV/);
  });
});

describe("development defaults", () => {
  it("generates throwaway secrets once, persists them under data/ and reuses them", () => {
    const dir = tmp();
    const first = checkConfig({}, dir);
    expect(first.ok).toBe(true);
    const file = path.join(dir, "data", "dev-secrets.json");
    expect(existsSync(file)).toBe(true);
    const second = checkConfig({}, dir);
    if (!first.ok || !second.ok) throw new Error("unreachable");
    expect(second.config.sessionSecret).toBe(first.config.sessionSecret);
    expect(first.config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(first.config.masterKey?.length).toBe(32);
    expect(JSON.parse(readFileSync(file, "utf8")).SESSION_SECRET).toBe(first.config.sessionSecret);
    expect(first.config.publicUrl).toBe("http://localhost:3000");
    expect(first.config.secureCookies).toBe(false);
  });

  it("never generates secrets outside development", () => {
    const dir = tmp();
    checkConfig({ APP_ENV: "staging" }, dir);
    expect(existsSync(path.join(dir, "data", "dev-secrets.json"))).toBe(false);
  });
});

describe("TRUSTED_PROXY_HOSTS", () => {
  it("parses addresses and ranges into canonical ranges, ignoring empty items", () => {
    const result = parseEnv({ ...GOOD, TRUSTED_PROXY_HOSTS: " 127.0.0.1, 10.0.0.0/8 ,::1,2001:DB8::/32," });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config.trustedProxyHosts.map((r) => r.text)).toEqual(["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"]);
  });

  it.each(["development", "staging", "production"])("a malformed entry is fatal with APP_ENV=%s, naming the entry", (appEnv) => {
    for (const entry of ["fd00::/abc", "10.0.0.0/", "10.0.0.0/33", "10.0.0.1:8080"]) {
      const outcome = checkConfig({ ...GOOD, APP_ENV: appEnv, TRUSTED_PROXY_HOSTS: `127.0.0.1,${entry}` }, tmp());
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.errors.join("\n")).toContain(`TRUSTED_PROXY_HOSTS: "${entry}"`);
    }
  });

  it("names every malformed entry at once", () => {
    const result = parseEnv({ ...GOOD, TRUSTED_PROXY_HOSTS: "fd00::/abc,10.0.0.0/8,10.0.0.0/" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.filter((e) => e.startsWith("TRUSTED_PROXY_HOSTS"))).toHaveLength(2);
  });

  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join("."));
  const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((p) => p.map((g) => g.toString(16)).join(":"));
  const badPrefix = (max: number) =>
    fc.oneof(
      fc.constant(""),
      fc.integer({ min: max + 1, max: 9999 }).map(String),
      fc.integer({ min: 1, max: max }).map((n) => `0${n}`),
      fc.integer({ min: 0, max: max }).map((n) => `-${n}`),
      fc.integer({ min: 0, max: max }).map((n) => `+${n}`),
      fc.string({ minLength: 1, maxLength: 4 }).filter((t) => /[^0-9]/.test(t) && !t.includes(",")),
    );
  const malformed = fc.oneof(
    fc.tuple(v4, badPrefix(32)).map(([a, p]) => `${a}/${p}`),
    fc.tuple(v6, badPrefix(128)).map(([a, p]) => `${a}/${p}`),
    fc.tuple(v4, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}`),
    fc.tuple(v6, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `[${a}]:${p}`),
    v6.map((a) => `${a}%eth0`),
    fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join(".")),
    v4.map((a) => `0x${a}`),
    // Bits set after the prefix: 10.0.0.1/8 is not the network 10.0.0.0/8.
    fc.tuple(fc.nat(255), fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 23 })).map(([a, b, p]) => `${a}.0.0.${b}/${p}`),
    fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() !== "" && !t.includes(",") && !t.includes("/") && isIP(t.trim()) === 0),
  );

  it("property: no malformed entry is accepted, wherever it stands in the list", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(v4, v6), { maxLength: 3 }), malformed, fc.array(v4, { maxLength: 3 }), fc.constantFrom("development", "staging", "production"), (before, bad, after, appEnv) => {
        const result = parseEnv({ ...GOOD, APP_ENV: appEnv, TRUSTED_PROXY_HOSTS: [...before, bad, ...after].join(",") });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.errors.some((e) => e.startsWith("TRUSTED_PROXY_HOSTS:") && e.includes(`"${bad.trim()}"`))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
