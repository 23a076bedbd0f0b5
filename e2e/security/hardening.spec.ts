import { expect, test, type Page } from "@playwright/test";
import { OWNER, baseURL, queryOne, signIn } from "../fixtures/app";
import { openSudo } from "../fixtures/two-factor";

// Every console page, including the areas that are not built yet.
const CONSOLE_PAGES = ["/overview", "/sessions", "/security", "/api-keys", "/secrets", "/job-env", "/webhooks", "/audit", "/import-export", "/members", "/settings", "/restore-trust"];

/** Console errors (CSP violations, React's hydration errors) and uncaught page errors, as they happen. */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`${page.url()}: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
  return problems;
}

async function visitEveryConsolePage(page: Page, check?: () => Promise<void>) {
  for (const path of CONSOLE_PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await check?.();
  }
}

test.describe("security baseline", () => {
  test("every page carries the security headers and a per-request CSP nonce", async ({ request }) => {
    const first = await request.get("/sign-in");
    const second = await request.get("/sign-in");
    const csp = first.headers()["content-security-policy"];
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(second.headers()["content-security-policy"]).not.toBe(csp);
    expect(first.headers()["x-content-type-options"]).toBe("nosniff");
    expect(first.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(first.headers()["x-powered-by"]).toBeUndefined();
    // HSTS only with APP_ENV=production (these tests run the production build in development mode).
    expect(first.headers()["strict-transport-security"]).toBeUndefined();
  });

  test("pages render without CSP violations or script errors", async ({ page }) => {
    test.setTimeout(120_000);
    const problems = collectProblems(page);
    await signIn(page, OWNER.email, OWNER.password);
    await visitEveryConsolePage(page);
    expect(problems).toEqual([]);
  });

  test("pages loaded in sudo mode hydrate without errors (the countdown is not re-computed in the browser)", async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, OWNER.email, OWNER.password);
    await openSudo(page, OWNER.password);
    // Scripts arrive over a slow link, as they do on a phone: hydration then runs well
    // over a second after the server rendered, so any clock read during render differs.
    await page.route("**/_next/static/chunks/**", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      await route.continue();
    });
    const problems = collectProblems(page);
    await visitEveryConsolePage(page, async () => {
      await expect(page.getByTestId("sudo-indicator")).toContainText(/Sudo mode · 1[0-5]:\d\d/);
      // Hydrated: the countdown ticks in the browser.
      const shown = await page.getByTestId("sudo-indicator").innerText();
      await expect(page.getByTestId("sudo-indicator")).not.toHaveText(shown, { timeout: 5_000 });
    });
    expect(problems).toEqual([]);
  });

  test("a server action posted from a foreign Origin is refused before it runs", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const orgName = async () => (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "Invitation"`))?.n;
    const before = (await orgName());
    const response = await page.request.post(`${baseURL()}/members`, {
      headers: { origin: "https://evil.example", "next-action": "0000000000000000000000000000000000000000", accept: "text/x-component" },
      multipart: { "1_email": "attacker@evil.example", "1_role": "owner" },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden_origin" } });
    expect((await orgName())).toBe(before);
  });

  test("a cross-site form post to the sign-in endpoint is refused", async ({ request }) => {
    const response = await request.post("/api/auth/callback/password", {
      headers: { origin: "https://evil.example" },
      form: { email: OWNER.email, password: OWNER.password, csrfToken: "x" },
    });
    expect(response.status()).toBe(403);
    const noOrigin = await request.post("/api/auth/callback/password", {
      headers: { "sec-fetch-site": "cross-site" },
      form: { email: OWNER.email, password: OWNER.password, csrfToken: "x" },
    });
    expect(noOrigin.status()).toBe(403);
  });

  test("a forged peer header does not change the recorded client IP", async ({ page }) => {
    await page.setExtraHTTPHeaders({ "x-gatehouse-peer": "guess:6.6.6.6" });
    await signIn(page, OWNER.email, OWNER.password);
    const last = await queryOne<{ ip: string }>(`SELECT "ip" FROM "AuditEvent" WHERE "action" = 'user.sign_in' ORDER BY "occurredAt" DESC LIMIT 1`);
    expect(last?.ip).toBe("127.0.0.1");
  });

  test("console pages are not reachable without a session", async ({ page }) => {
    for (const path of ["/overview", "/members", "/audit", "/settings"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
    }
  });
});
