import { expect, test } from "@playwright/test";
import { baseURL } from "../fixtures/app";
import { familyOf, surfaceFiles } from "../../test/support/surface-matrix";

// The README's surface matrix over real HTTP against the production build: every route and
// page file, requested with no session cookie and no API key, answers as its family says.
// Open routes answer and never carry a credential; everything else refuses or sends to sign-in.

// A signing secret or API key, a private key, a configuration value, a password in JSON.
const CREDENTIAL = /whsec_[A-Za-z0-9+/]{20}|gat_[A-Za-z0-9]{20}|-----BEGIN|DATABASE_URL=|GATEHOUSE_MASTER_KEY=|SESSION_SECRET=|"password":"/;

test("every route family refuses, or answers openly, as the surface matrix says", async ({ playwright }) => {
  test.setTimeout(180_000);
  // A fresh client: no cookies of any signed-in test.
  const request = await playwright.request.newContext({ baseURL: baseURL() });
  const files = surfaceFiles();
  const seen = new Set<string>();
  for (const f of files) {
    const family = familyOf(f.file);
    expect(family, `${f.file} is not in the surface matrix`).not.toBeNull();
    seen.add(family!.id);
    const label = `${f.file} (${f.url})`;
    const get = await request.get(f.url, { maxRedirects: 0 });
    const body = await get.text();
    expect(get.status(), label).toBeLessThan(500);
    switch (family!.auth) {
      case "none":
        // Open: answers (the docs page is 404 unless ENABLE_DOCS) and never returns a credential.
        expect([200, 404], label).toContain(get.status());
        expect(body, label).not.toMatch(CREDENTIAL);
        break;
      case "api_key": {
        // Every method: 401 without a key, or 405 for a method the route lacks; at least one 401.
        const statuses = [get.status()];
        for (const method of ["POST", "PUT", "PATCH", "DELETE"]) statuses.push((await request.fetch(f.url, { method, data: {}, maxRedirects: 0 })).status());
        expect(statuses.every((s) => s === 401 || s === 405), `${label}: ${statuses}`).toBe(true);
        expect(statuses, label).toContain(401);
        break;
      }
      case "signature": {
        const post = await request.post(f.url, { data: {}, maxRedirects: 0 });
        expect([401, 404], label).toContain(post.status());
        expect(get.status(), label).toBe(405);
        break;
      }
      case "session":
        // Pages send the browser to sign in; API-style routes answer 401.
        if (get.status() >= 300 && get.status() < 400) expect(get.headers()["location"], label).toMatch(/\/sign-in/);
        else expect([401, 403, 404], label).toContain(get.status());
        expect(body, label).not.toMatch(CREDENTIAL);
        break;
      case "next_auth":
        // next-auth's own endpoints: the session endpoint knows no user.
        if (f.url === "/api/auth/x") {
          const session = await request.get("/api/auth/session");
          expect(session.status()).toBe(200);
          expect(await session.json()).not.toHaveProperty("user");
        }
        break;
      case "pre_auth":
        // Sign-in and friends render for anyone (or redirect); a page behind them is never shown.
        expect([200, 307, 308, 302, 303, 404], label).toContain(get.status());
        expect(body, label).not.toMatch(CREDENTIAL);
        break;
    }
  }
  expect([...seen].sort()).toEqual(expect.arrayContaining(["api-v1", "console", "health", "integrations", "next-auth", "session-api"]));
  await request.dispose();
});
