import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { queryOne } from "../fixtures/app";
import { startExtraServer, type ExtraServer } from "../fixtures/extra-server";

// The API's OpenAPI document is always served; the interactive docs page and
// its assets only with ENABLE_DOCS=true. The suite's server runs with docs off;
// the docs-on half starts a second production server (same build, same
// database) with ENABLE_DOCS=true and uses the page the way a developer would:
// authorize with a key, try a request, with no CSP violation.

const root = path.resolve(__dirname, "..", "..");

test("with docs off, /api/docs and its assets are 404 and the OpenAPI document is served", async ({ request }) => {
  for (const address of ["/api/docs", "/api/docs/assets/swagger-ui-bundle.js", "/api/docs/assets/init.js", "/api/docs/assets/swagger-ui.css"]) {
    expect((await request.get(address)).status(), address).toBe(404);
  }
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toMatch(/public/);
  const doc = await response.json();
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.paths["/api/v1/me"].get).toBeDefined();
});

test.describe("with ENABLE_DOCS=true", () => {
  let server: ExtraServer | undefined;
  let docsUrl = "";
  const output = () => server?.output() ?? "";

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    server = await startExtraServer({
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      SESSION_SECRET: process.env.E2E_SESSION_SECRET,
      GATEHOUSE_MASTER_KEY: process.env.E2E_MASTER_KEY,
      ENABLE_DOCS: "true",
    });
    docsUrl = server.url;
    await expect
      .poll(async () => (server?.child.exitCode !== null ? "exited" : await fetch(`${docsUrl}/api/health/live`).then((r) => String(r.status), () => "down")), { timeout: 120_000, intervals: [250] })
      .toBe("200");
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("docs server output", { body: output(), contentType: "text/plain" });
  });

  test("the docs page renders under the nonce CSP, authorizes with a key and tries a request", async ({ browser }) => {
    const org = await queryOne<{ slug: string }>(`SELECT "slug" FROM "Organization" ORDER BY "createdAt" LIMIT 1`);
    expect(org).toBeDefined();
    // A key from the operator CLI, as an operator would issue one.
    const issued = execFileSync(process.execPath, [path.join(root, "bin", "gatehouse.mjs"), "keys", "create", "--org", org!.slug, "--name", "docs e2e", "--scopes", "props:read", "--expires", "1d"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, SESSION_SECRET: process.env.E2E_SESSION_SECRET, GATEHOUSE_MASTER_KEY: process.env.E2E_MASTER_KEY, APP_ENV: "development" },
    }).toString();
    const key = /key: (gat_\S+)/.exec(issued)?.[1];
    expect(key, issued).toBeDefined();

    const context = await browser.newContext({ baseURL: docsUrl });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to load: CSP violation ${e.violatedDirective} ${e.blockedURI}`));
    });

    const response = await page.goto("/api/docs");
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    await expect(page.getByRole("heading", { name: /Gatehouse REST API/, level: 1 })).toBeVisible({ timeout: 60_000 });

    await page.getByRole("button", { name: "Authorize" }).first().click();
    const dialog = page.locator(".modal-ux");
    await dialog.locator("input").first().fill(key!);
    await dialog.getByRole("button", { name: "Apply credentials" }).click();
    await expect(dialog.getByRole("button", { name: "Remove authorization" }).or(dialog.getByText("Logout"))).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();

    const me = page.locator("#operations-Keys-getMe");
    await me.getByRole("button", { name: /^GET \/api\/v1\/me/ }).click();
    await me.getByRole("button", { name: "Try it out" }).click();
    await me.getByRole("button", { name: "Execute" }).click();
    await expect(me.locator(".live-responses-table tr.response .response-col_status")).toHaveText("200", { timeout: 20_000 });
    await expect(me.locator(".live-responses-table")).toContainText(org!.slug);

    expect(problems, output()).toEqual([]);
    await context.close();
  });
});
