import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function start(env: Record<string, string>) {
  // Only the variables under test: nothing inherited from the runner's own configuration.
  const merged = { ...process.env };
  for (const key of Object.keys(merged)) {
    if (/^(APP_ENV|SESSION_SECRET|NEXTAUTH_SECRET|GATEHOUSE_MASTER_KEY|PUBLIC_URL|ENABLE_)/.test(key)) delete merged[key];
  }
  return spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/start.ts"], {
    cwd: root,
    env: { ...merged, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("npm start in production", () => {
  it("refuses to start with a short SESSION_SECRET, naming it and the 32-character minimum", () => {
    const result = start({ APP_ENV: "production", SESSION_SECRET: "short" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("SESSION_SECRET is too short (5 characters): it must be at least 32 characters");
    expect(result.stderr).toContain("GATEHOUSE_MASTER_KEY is missing");
  });

  it("refuses docs and developer routes and a non-https public URL", () => {
    const result = start({
      APP_ENV: "production",
      SESSION_SECRET: "s".repeat(48),
      GATEHOUSE_MASTER_KEY: Buffer.alloc(32, 1).toString("base64"),
      PUBLIC_URL: "http://gatehouse.example.com",
      ENABLE_DOCS: "true",
      ENABLE_DEVELOPER_ROUTES: "true",
    });
    expect(result.status).not.toBe(0);
    for (const name of ["ENABLE_DOCS", "ENABLE_DEVELOPER_ROUTES", "PUBLIC_URL must use https"]) expect(result.stderr).toContain(name);
  });
});
