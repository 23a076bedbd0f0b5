import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// One production server and one fresh database per run. The values are put in
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

const port = process.env.E2E_PORT;
// WebAuthn needs a domain as relying-party id (an IP address is refused), hence localhost.
const baseURL = `http://localhost:${port}`;
const chromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
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
    command: "node scripts/prisma.mjs migrate deploy && node server.mjs",
    url: `${baseURL}/sign-in`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      APP_ENV: "development",
      NODE_ENV: "production",
      PORT: port,
      HOST: "127.0.0.1",
      PUBLIC_URL: baseURL,
      DATABASE_URL: `file:${path.join(process.env.E2E_DATA_DIR, "e2e.db")}`,
      SESSION_SECRET: "e2e-session-secret-with-more-than-32-characters",
      GATEHOUSE_MASTER_KEY: Buffer.alloc(32, 9).toString("base64"),
      // Lets tests act as a proxy in front of the server to simulate client IP changes.
      TRUSTED_PROXY_HOSTS: "127.0.0.1,::1",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
