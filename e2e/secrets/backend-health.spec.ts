import { expect, test, type Page } from "@playwright/test";
import { OWNER, signIn } from "../fixtures/app";
import { startExtraServer, type ExtraServer } from "../fixtures/extra-server";
import { startFakeVault, type FakeVault } from "../../test/support/fake-vault";

// The secrets backend's health: the open endpoint (no key, read-only, 503 when
// unhealthy, never a value) and the Secrets page card, on the suite's server
// (db backend) and on a second server of the same build configured for a
// loopback Vault that then goes away.

const SHOTS = process.env.E2E_SCREENSHOTS_DIR;

/** The card at 1280 and 390 px in the console's light and dark themes (the theme cookie), saved when E2E_SCREENSHOTS_DIR is set. */
async function screenshots(page: Page, name: string) {
  if (!SHOTS) return;
  const url = new URL(page.url());
  for (const width of [1280, 390]) {
    for (const theme of ["light", "dark"] as const) {
      await page.context().addCookies([{ name: "theme", value: theme, url: url.origin }]);
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width, height: 900 });
      await page.reload();
      await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
      await page.getByTestId("secrets-backend-card").scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/${name}-${width}-${theme}.png`, fullPage: false });
    }
  }
  await page.context().addCookies([{ name: "theme", value: "light", url: url.origin }]);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe.serial("secrets backend health", () => {
  test("db backend: the open endpoint answers ok without a key, refuses other methods, and the card shows it", async ({ page, request }) => {
    const res = await request.get("/api/v1/health/secrets");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", backend: "db", checks: { list_secrets: { status: "ok" }, get_secret: { status: "ok" } } });
    expect(JSON.stringify(body)).not.toContain("gatehouse-health-canary");
    const post = await request.post("/api/v1/health/secrets", { data: {} });
    expect(post.status()).toBe(405);
    expect(post.headers()["allow"]).toBe("GET");

    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/secrets");
    const card = page.getByTestId("secrets-backend-card");
    await expect(card.getByTestId("secrets-backend-name")).toContainText("Database (envelope encryption)");
    await expect(page.locator("section", { hasText: "Secrets backend" }).getByText("Healthy", { exact: true })).toBeVisible();
    await expect(card.getByTestId("health-List secrets")).toContainText("OK");
    await expect(card.getByTestId("health-Read canary")).toContainText("OK");
    await screenshots(page, "backend-db");
  });

  test.describe("a server on a Vault that goes away", () => {
    let vault: FakeVault;
    let server: ExtraServer;

    test.beforeAll(async () => {
      test.setTimeout(240_000);
      vault = await startFakeVault({ token: "hvs.e2e-token" });
      server = await startExtraServer({
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        SESSION_SECRET: process.env.E2E_SESSION_SECRET,
        GATEHOUSE_MASTER_KEY: process.env.E2E_MASTER_KEY,
        WEBHOOKS_WORKER: "false",
        SECRETS_BACKEND: "vault",
        VAULT_ADDR: vault.url,
        VAULT_TOKEN: "hvs.e2e-token",
        VAULT_PREFIX: "gatehouse-e2e/",
      });
      await expect
        .poll(async () => (server.child.exitCode !== null ? -1 : await fetch(`${server.url}/api/v1/health/secrets`).then((r) => r.status, () => 0)), { timeout: 180_000, intervals: [500] })
        .toBe(200);
    });
    test.afterAll(async () => {
      await server?.stop();
      await vault?.close().catch(() => undefined);
    });

    test("healthy, then 503 with the kind of failure once Vault is gone; the card says so", async ({ browser }) => {
      const healthy = await (await fetch(`${server.url}/api/v1/health/secrets`)).json();
      expect(healthy).toMatchObject({ status: "ok", backend: "vault" });
      expect(vault.kv.has("gatehouse-e2e/_health/canary")).toBe(true);
      // Cached: a burst of 20 requests reaches Vault at most once (one list, one read; once more only if the 5 s cache just expired).
      const before = vault.requests.length;
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.url}/api/v1/health/secrets`)));
      expect(vault.requests.length - before).toBeLessThanOrEqual(2);

      await vault.close();
      await expect.poll(async () => (await fetch(`${server.url}/api/v1/health/secrets`)).status, { timeout: 20_000, intervals: [1000] }).toBe(503);
      const down = await (await fetch(`${server.url}/api/v1/health/secrets`)).json();
      expect(down).toMatchObject({ status: "unhealthy", backend: "vault", checks: { list_secrets: { status: "fail", reason: "unreachable" }, get_secret: { status: "fail", reason: "unreachable" } } });
      expect(JSON.stringify(down)).not.toContain("127.0.0.1");

      const context = await browser.newContext({ baseURL: server.url });
      const page = await context.newPage();
      await signIn(page, OWNER.email, OWNER.password);
      await page.goto("/secrets");
      const card = page.getByTestId("secrets-backend-card");
      await expect(card.getByTestId("secrets-backend-name")).toContainText("HashiCorp Vault (KV v2)");
      await expect(card.getByTestId("health-List secrets")).toContainText("Failed: unreachable");
      // The owner sees where it points and why (never the token).
      await expect(card).toContainText(`${vault.url}, mount secret`);
      await expect(card).toContainText("Vault is unreachable");
      expect(await page.content()).not.toContain("hvs.e2e-token");
      await screenshots(page, "backend-vault-down");
      await context.close();
    });
  });
});
