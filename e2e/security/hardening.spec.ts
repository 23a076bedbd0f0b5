import { expect, test } from "@playwright/test";
import { OWNER, baseURL, queryOne, signIn } from "../fixtures/app";

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
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, OWNER.email, OWNER.password);
    for (const path of ["/overview", "/members", "/audit", "/sessions"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    }
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
