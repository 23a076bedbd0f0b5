import { expect, test, type APIResponse, type Page, type Response } from "@playwright/test";
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { hasPostgresServer, startPgCluster, type PgCluster } from "../../test/pg-cluster";
import { signIn } from "../fixtures/app";
import { startExtraServer, type ExtraServer } from "../fixtures/extra-server";

// The database goes away under a running server and comes back: every page and
// API route answers a clear 503 meanwhile, and the server recovers by itself.
// This spec stops and starts PostgreSQL, so it brings its own throwaway cluster
// and its own production server on it; the suite's main server is untouched.

const root = path.resolve(__dirname, "..", "..");
const OWNER = { org: "Outage Test Org", name: "Olga Owner", email: "olga@outage.test", password: "correct horse battery staple" };
const TITLE = "Gatehouse cannot reach its database right now";

const postgresInstalled = hasPostgresServer();
test.skip(!postgresInstalled && !process.env.CI, "needs PostgreSQL's server binaries (Debian: apt-get install -y postgresql-15)");

let cluster: PgCluster | undefined;
let server: ExtraServer | undefined;
let appUrl = "";
const output = () => server?.output() ?? "";

test.beforeAll(async ({ browser }) => {
  test.setTimeout(300_000);
  if (!postgresInstalled) throw new Error("CI runs the database outage spec: install PostgreSQL's server binaries (apt-get install -y postgresql-15)");
  cluster = startPgCluster();
  const admin = new pg.Client({ connectionString: `${cluster.url}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "gatehouse"`);
  await admin.end();
  const databaseUrl = `${cluster.url}/gatehouse`;
  execFileSync(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "pipe",
  });

  server = await startExtraServer({
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: "outage-e2e-session-secret-with-more-than-32-characters",
    GATEHOUSE_MASTER_KEY: Buffer.alloc(32, 7).toString("base64"),
    // The in-process webhook worker runs (the default): it must back off while the database is
    // away and not mark the outage again once the probe has seen it come back.
  });
  appUrl = server.url;
  await expect
    .poll(() => /Open this link to create the first owner account/.test(output()) || server?.child.exitCode !== null, { timeout: 180_000, intervals: [250] })
    .toBe(true);
  expect(server.child.exitCode, output()).toBeNull();

  // The owner, created through the one-time link the server printed.
  const link = /Open this link to create the first owner account:\s+(\S+\/setup\?token=[A-Za-z0-9_-]+)/.exec(output())?.[1];
  expect(link, output()).toBeTruthy();
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await page.getByLabel("Organization name").fill(OWNER.org);
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByLabel("Confirm password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await page.waitForURL("**/overview");
  await context.close();
});

test.afterAll(async () => {
  await server?.stop();
  cluster?.stop();
});

test.afterEach(async ({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("outage server output", { body: output(), contentType: "text/plain" });
});

/** What must never reach a browser or API client: the driver's error, its stack, where the database lives. */
async function expectNothingLeaked(body: string) {
  const port = new URL(cluster?.url ?? "http://x:1").port;
  for (const leak of ["PrismaClient", "DriverAdapterError", "at async", "node_modules", ".next/server", "ECONNREFUSED", "Can't reach database", `:${port}`]) {
    expect(body, `the answer contains "${leak}"`).not.toContain(leak);
  }
}

async function expectOutagePage(page: Page, response: Response | null) {
  expect(response?.status()).toBe(503);
  expect(response?.headers()["retry-after"]).toBe("5");
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Checking again every few seconds");
  await expect(page.getByRole("button", { name: "Try again now" }).or(page.getByRole("link", { name: "Try again now" }))).toBeVisible();
  await expectNothingLeaked(await response!.text());
  await expectNothingLeaked(await page.content());
}

async function expectUnavailableJson(response: APIResponse) {
  expect(response.status()).toBe(503);
  expect(response.headers()["retry-after"]).toBe("5");
  const body = await response.text();
  await expectNothingLeaked(body);
  return JSON.parse(body) as unknown;
}

test("a lost database answers a clear 503 on pages and API routes, and the same session works again once it is back", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await signIn(page, OWNER.email, OWNER.password);
  await expect(page.getByText(`Security overview of ${OWNER.org}.`)).toBeVisible();
  const serverPid = server?.child.pid;

  cluster!.pause();

  // The first page after the outage: Next renders it, the session lookup fails,
  // and the error boundary in the page explains (status 503, not 500).
  await expectOutagePage(page, await page.goto("/overview"));
  // Marks this document: it must recover in place, by the boundary's polling.
  await page.evaluate(() => Reflect.set(window, "gatehouseOutageMarker", true));
  await page.screenshot({ path: "test-results/screens/database-outage-light.png", fullPage: true });

  // API routes answer JSON with Retry-After; the health check says what is wrong.
  expect(await expectUnavailableJson(await context.request.get("/api/session"))).toEqual({
    error: { code: "database_unavailable", message: expect.stringContaining("cannot reach its database") },
  });
  expect(await expectUnavailableJson(await context.request.get("/api/health"))).toEqual({ status: "unavailable", checks: { database: "unreachable" } });

  // Any other page, while the outage is known: the same message, in the user's theme.
  await context.addCookies([{ name: "theme", value: "dark", url: appUrl }]);
  const other = await context.newPage();
  await expectOutagePage(other, await other.goto("/members"));
  await expect(other.locator("html")).toHaveClass(/dark/);
  await other.screenshot({ path: "test-results/screens/database-outage-dark.png", fullPage: true });

  cluster!.resume();

  // Both pages come back by themselves within seconds, the first without a reload.
  await expect(page.getByText(`Security overview of ${OWNER.org}.`)).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => Reflect.get(window, "gatehouseOutageMarker"))).toBe(true);
  await expect(other.getByRole("heading", { level: 1, name: "Members" })).toBeVisible({ timeout: 20_000 });

  // The same browser session works again, on the same server process.
  const session = await context.request.get("/api/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toMatchObject({ user: { email: OWNER.email }, organization: { name: OWNER.org } });
  expect((await page.goto("/sessions"))?.status()).toBe(200);
  expect(server?.child.pid).toBe(serverPid);
  expect(server?.child.exitCode).toBeNull();
  // The worker said once that it paused and once that it resumed: no log flood.
  expect(output().match(/webhook worker: the database cannot be reached|webhook worker round failed/g)?.length ?? 0).toBeLessThanOrEqual(2);
  expect(output()).toContain("webhook worker: deliveries resumed");
  await context.close();
});

test("navigating inside the console during an outage keeps the shell, and the page comes back in place", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto("/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();

  cluster!.pause();
  // A client-side navigation: only the page segment is rendered, and fails;
  // the console's error boundary explains inside the shell.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Console" })).toBeVisible();
  await expectNothingLeaked(await page.content());
  await page.screenshot({ path: "test-results/screens/database-outage-console.png", fullPage: true });

  cluster!.resume();
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible({ timeout: 20_000 });
  await expect(page).toHaveURL(/\/members$/);
  await context.close();
});

test("a console form during an outage says that nothing was changed and keeps the page; afterwards nothing was", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await signIn(page, OWNER.email, OWNER.password);
  const elsewhere = await browser.newContext({ baseURL: appUrl });
  await signIn(await elsewhere.newPage(), OWNER.email, OWNER.password);
  await page.goto("/sessions");
  const signOutOthers = page.getByRole("button", { name: "Sign out all other sessions" });
  await expect(signOutOthers).toBeEnabled();

  cluster!.pause();
  // Twice: the first attempt finds the database gone, the second is answered at once.
  for (let attempt = 0; attempt < 2; attempt++) {
    await signOutOthers.click();
    await expect(page.getByRole("alert").filter({ hasText: "database" })).toHaveText(
      "Gatehouse cannot reach its database right now. Nothing was changed; try again in a moment.",
    );
    await expect(page.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
  }

  cluster!.resume();
  await expect.poll(async () => (await context.request.get("/api/health")).status(), { timeout: 20_000 }).toBe(200);
  // The other session was not signed out.
  expect((await elsewhere.request.get("/api/session")).status()).toBe(200);
  await context.close();
  await elsewhere.close();
});
