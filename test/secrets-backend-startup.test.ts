import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * The startup check (lib/server/startup-check.ts, what instrumentation.ts runs
 * before the server serves anything) in a child process: a secrets backend
 * that lacks its region, address, credentials or client library refuses to
 * start, naming what is missing.
 */

const root = path.resolve(__dirname, "..");
const BASE = {
  PATH: process.env.PATH ?? "",
  APP_ENV: "development",
  SESSION_SECRET: "startup-test-session-secret-that-is-long-enough-1",
  GATEHOUSE_MASTER_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
  PUBLIC_URL: "http://localhost:3000",
};

/** Run the startup check in a child process; `cwd` stands for the installation (where node_modules is looked up). */
function startWith(env: Record<string, string>, cwd = root): { code: number | null; out: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-startup-"));
  try {
    const script = path.join(dir, "start.ts");
    writeFileSync(script, `import { assertConfigAtStartup } from ${JSON.stringify(path.join(root, "lib/server/startup-check.ts"))};\nassertConfigAtStartup();\nconsole.log("STARTED");\n`);
    const run = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "--tsconfig", path.join(root, "tsconfig.json"), script], {
      cwd,
      env: { ...BASE, ...env } as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 60_000,
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("secrets backend at startup", () => {
  it("starts with the default db backend", () => {
    const r = startWith({});
    expect(r.out).toContain("STARTED");
    expect(r.code).toBe(0);
  });

  it("aws_secrets_manager without a region or credentials refuses to start and names both", () => {
    const r = startWith({ SECRETS_BACKEND: "aws_secrets_manager" });
    expect(r.code).toBe(1);
    expect(r.out).not.toContain("STARTED");
    expect(r.out).toContain("Gatehouse refuses to start");
    expect(r.out).toMatch(/needs AWS_REGION/);
    expect(r.out).toMatch(/needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it("aws_secrets_manager with region and credentials starts", () => {
    const r = startWith({ SECRETS_BACKEND: "aws_secrets_manager", AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "secret" });
    expect(r.out).toContain("STARTED");
  });

  it("aws_secrets_manager without the client library installed refuses to start and names the package", () => {
    const bare = mkdtempSync(path.join(os.tmpdir(), "gatehouse-nolib-"));
    try {
      const r = startWith({ SECRETS_BACKEND: "aws_secrets_manager", AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "secret" }, bare);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/needs the npm package @aws-sdk\/client-secrets-manager, which is not installed/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it("vault without an address or credentials refuses to start and names both", () => {
    const r = startWith({ SECRETS_BACKEND: "vault" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/needs VAULT_ADDR/);
    expect(r.out).toMatch(/needs credentials: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID/);
  });

  it("vault with half an AppRole names the missing half; a full one starts", () => {
    const half = startWith({ SECRETS_BACKEND: "vault", VAULT_ADDR: "http://127.0.0.1:8200", VAULT_ROLE_ID: "r" });
    expect(half.code).toBe(1);
    expect(half.out).toMatch(/VAULT_SECRET_ID is missing/);
    const full = startWith({ SECRETS_BACKEND: "vault", VAULT_ADDR: "http://127.0.0.1:8200", VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" });
    expect(full.out).toContain("STARTED");
  });

  it("an unknown backend is refused by name", () => {
    const r = startWith({ SECRETS_BACKEND: "s3" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/SECRETS_BACKEND must be one of db, aws_secrets_manager, vault \(got "s3"\)/);
  });
});
