import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// One fresh database per run, served by E2E_INSTANCES production servers
// (behind a round-robin balancer when there are several): E2E_DB=postgres runs
// on the PG_TEST_URL cluster, otherwise SQLite. The values are put in
// process.env so Playwright's worker processes (which re-read this file) agree.
if (!process.env.E2E_PORT) {
  process.env.E2E_PORT = execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
}
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-"));
// The servers' secrets (e2e/support/servers.mjs); tests that decode a cookie read them here.
process.env.E2E_SESSION_SECRET ??= "e2e-session-secret-with-more-than-32-characters";
process.env.E2E_MASTER_KEY ??= Buffer.alloc(32, 9).toString("base64");
if (!process.env.E2E_DATABASE_URL) {
  if (process.env.E2E_DB === "postgres") {
    if (!process.env.PG_TEST_URL) throw new Error("E2E_DB=postgres needs PG_TEST_URL (npm test starts a throwaway cluster)");
    const url = new URL(process.env.PG_TEST_URL);
    url.pathname = `/gatehouse_e2e_${path.basename(process.env.E2E_DATA_DIR).replace(/[^a-zA-Z0-9]/g, "_").toLowerCase()}`;
    process.env.E2E_DATABASE_URL = url.toString();
  } else {
    process.env.E2E_DATABASE_URL = `file:${path.join(process.env.E2E_DATA_DIR, "e2e.db")}`;
  }
}

const port = process.env.E2E_PORT;
// WebAuthn needs a domain as relying-party id (an IP address is refused), hence localhost.
const baseURL = `http://localhost:${port}`;
const chromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  // One folder per database, so the two suites can run side by side (scripts/test.mjs).
  outputDir: `test-results/${process.env.E2E_DB === "postgres" ? "postgres" : "sqlite"}`,
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Generous: in CI the SQLite and PostgreSQL suites share two cores (scripts/test.mjs).
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium where present (Playwright's browser download does not work offline).
      executablePath: existsSync(chromium) ? chromium : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [
    { name: "first-run", testMatch: /first-run\.spec\.ts/ },
    { name: "console", testIgnore: /first-run\.spec\.ts/, dependencies: ["first-run"] },
  ],
  webServer: {
    command: "node e2e/support/servers.mjs",
    url: `${baseURL}/sign-in`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
