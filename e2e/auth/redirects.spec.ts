import { expect, test, type Page } from "@playwright/test";
import { decode } from "next-auth/jwt";
import { OWNER, baseURL, signIn } from "../fixtures/app";

/** Every request the page makes to a host other than ours (the open redirect would add one). */
function offsiteRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).origin !== baseURL()) seen.push(r.url());
  });
  return seen;
}

test.describe("redirects after sign-in stay on our origin", () => {
  for (const encoded of ["%09", "%0d", "%0a"]) {
    test(`the sign-in form does not follow callbackUrl=/${encoded}/evil.example off-site`, async ({ page }) => {
      const offsite = offsiteRequests(page);
      // Nothing leaves the machine: an off-site navigation lands on a stub page instead.
      await page.route((url) => url.origin !== baseURL(), (route) => route.fulfill({ contentType: "text/html", body: "off-site" }));
      await page.goto(`/sign-in?callbackUrl=/${encoded}/evil.example`);
      await page.getByLabel("Email").fill(OWNER.email);
      await page.getByLabel("Password").fill(OWNER.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/overview" || url.origin !== baseURL());
      expect(new URL(page.url()).origin).toBe(baseURL());
      expect(new URL(page.url()).pathname).toBe("/overview");
      expect(offsite).toEqual([]);
    });
  }

  test("a signed-in visit to /sign-in redirects to our origin for hostile callbacks, never a 500", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const hostile = [
      "/%09/evil.example",
      "/%0d/evil.example",
      "/%0a/evil.example",
      "/%0d%0a/evil.example",
      "/%00/evil.example",
      "%09//evil.example",
      "//evil.example",
      "/%5Cevil.example",
      "%5C%5Cevil.example",
      "/.//evil.example",
      "https://evil.example/",
      "//user@evil.example",
      "javascript:alert(1)",
      "data:text/html,x",
      "/%0aSet-Cookie:%20x=y",
      `/${"a".repeat(5000)}`,
      "%E0%A4%A",
    ];
    for (const value of hostile) {
      const response = await page.request.get(`/sign-in?callbackUrl=${value}`, { maxRedirects: 0 });
      expect(response.status(), value).toBe(307);
      const location = response.headers()["location"] ?? "";
      expect(new URL(location, baseURL()).origin, `${value} -> ${location}`).toBe(baseURL());
      expect(location, value).not.toMatch(/[\u0000-\u001F\u007F]|^\/\/|^\/\\/);
      expect(response.headers()["set-cookie"] ?? "", value).not.toContain("x=y");
    }
    // An ordinary callback is still followed.
    const members = await page.request.get("/sign-in?callbackUrl=%2Fmembers%3Ftab%3D1", { maxRedirects: 0 });
    expect(members.headers()["location"]).toBe("/members?tab=1");
  });

  test("a page visited without a session comes back after sign-in", async ({ page }) => {
    await page.goto("/members?tab=1");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fmembers%3Ftab%3D1$/);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/members?tab=1");
  });

  test("next-auth's callbackUrl is reduced to our origin too", async ({ page }) => {
    await page.goto("/sign-in");
    const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await page.request.post("/api/auth/callback/password", {
      headers: { origin: baseURL() },
      form: { email: OWNER.email, password: OWNER.password, csrfToken: csrf.csrfToken, callbackUrl: "/\t/evil.example", json: "true" },
    });
    expect(response.status()).toBeLessThan(400);
    // next-auth's default would answer with the value as given ("…/\t/evil.example").
    const { url } = (await response.json()) as { url: string };
    expect(url).toBe(`${baseURL()}/overview`);
  });
});

test.describe("session token lifetime", () => {
  test("the session JWT lives exactly SESSION_MAX_AGE_HOURS (168 h by default), like its cookie", async ({ page, context }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const cookie = (await context.cookies()).find((c) => c.name === "gatehouse.session");
    if (!cookie) throw new Error("no session cookie");
    const secret = process.env.E2E_SESSION_SECRET;
    if (!secret) throw new Error("playwright.config.ts sets no E2E_SESSION_SECRET");
    const jwt = await decode({ token: cookie.value, secret });
    if (typeof jwt?.exp !== "number" || typeof jwt.iat !== "number") throw new Error("the token has no exp or iat");
    expect(jwt.exp - jwt.iat).toBe(168 * 3600);
    // The cookie expires with it (a few seconds apart at most).
    expect(Math.abs(cookie.expires - jwt.exp)).toBeLessThan(30);
  });
});
