import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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
