import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { OWNER, baseURL, instancePorts, onPostgres, queryAll, queryOne, signIn } from "../fixtures/app";
import { forgetSessions, inviteUser, sessionsOf, type TestUser } from "../fixtures/people";
import { cookieHeader } from "../fixtures/raw-http";

// Several Gatehouse instances on one PostgreSQL database (the PostgreSQL run of
// the suite starts two behind a round-robin balancer). Every other spec already
// alternates between them; these tests aim at each instance directly.
const MIA: TestUser = { name: "Mia Multi", email: "mia.multi@acme.test", password: "two instances one truth" };

const several = instancePorts().length >= 2;
test.skip(!several, "needs two or more instances (E2E_INSTANCES=2, the PostgreSQL run of npm test)");

const at = (port: number, path: string) => `http://localhost:${port}${path}`;

/** The browser's user agent, sent with its cookie: another one would (rightly) make the session untrusted. */
let browserUserAgent = "";

async function sessionStatus(request: APIRequestContext, port: number, cookie: string) {
  // `connection: close`: a kept-alive socket the instance closes meanwhile would fail the request (ECONNRESET).
  return (await request.get(at(port, "/api/session"), { headers: { cookie, "user-agent": browserUserAgent, connection: "close" } })).status();
}

/** Submit the sign-in form on one instance, from a chosen network; returns the alert text or "signed in". */
async function signInOn(browser: Browser, port: number, user: TestUser, password: string, ip: string) {
  const context = await browser.newContext({ extraHTTPHeaders: { "X-Forwarded-For": ip } });
  const page = await context.newPage();
  await page.goto(at(port, "/sign-in"));
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const outcome = await Promise.race([
    page.waitForURL("**/overview").then(() => "signed in"),
    // The form's alert, not Next's route announcer (an empty alert of its own).
    page.getByRole("alert").filter({ hasText: /\S/ }).first().waitFor().then(async () => (await page.getByRole("alert").filter({ hasText: /\S/ }).first().innerText()).trim()),
  ]);
  await context.close();
  return outcome;
}

test.describe.serial("several instances on one database", () => {
  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, MIA);
  });

  test("the instances applied every migration exactly once when they started together", async () => {
    expect(onPostgres()).toBe(true);
    const rows = await queryAll<{ migration_name: string; n: number; unfinished: number }>(
      `SELECT migration_name, COUNT(*) AS n, SUM(CASE WHEN finished_at IS NULL OR rolled_back_at IS NOT NULL THEN 1 ELSE 0 END) AS unfinished
       FROM "_prisma_migrations" GROUP BY migration_name`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect({ name: row.migration_name, n: Number(row.n), unfinished: Number(row.unfinished) }).toEqual({ name: row.migration_name, n: 1, unfinished: 0 });
  });

  test("a session signed in through one instance is valid on the others, and a revocation through one ends it everywhere at the next request", async ({ browser, request }) => {
    const [a, b] = instancePorts();
    await forgetSessions(MIA.email);
    // Mia signs in twice (two browsers); each cookie works on every instance.
    const first = await browser.newContext();
    const firstPage = await first.newPage();
    await signIn(firstPage, MIA.email, MIA.password);
    browserUserAgent = await firstPage.evaluate(() => navigator.userAgent);
    const second = await browser.newContext();
    await signIn(await second.newPage(), MIA.email, MIA.password);
    const firstCookie = await cookieHeader(first);
    const secondCookie = await cookieHeader(second);
    for (const port of [a, b]) {
      expect(await sessionStatus(request, port, firstCookie)).toBe(200);
      expect(await sessionStatus(request, port, secondCookie)).toBe(200);
    }

    // Revoke the second session from the first browser, talking to instance A only.
    await firstPage.goto(at(a, "/sessions"));
    await expect(firstPage.getByTestId("other-session")).toHaveCount(1);
    await firstPage.getByRole("button", { name: /^Revoke .* session$/ }).first().click();
    // The revoked session leaves the list (its row, and the row's message, go with it).
    await expect(firstPage.getByTestId("other-session")).toHaveCount(0);
    // Instance B refuses it on the very next request; the first session still works there.
    expect(await sessionStatus(request, b, secondCookie)).toBe(401);
    expect(await sessionStatus(request, a, secondCookie)).toBe(401);
    expect(await sessionStatus(request, b, firstCookie)).toBe(200);
    expect(await sessionsOf(MIA.email)).toHaveLength(1);
    await Promise.all([first.close(), second.close()]);
  });

  test("rate limits are shared: failures split across instances lock the account on this network on all of them", async ({ browser }) => {
    const [a, b] = instancePorts();
    const ip = "198.51.100.123";
    for (let i = 0; i < 5; i++) {
      const outcome = await signInOn(browser, i % 2 ? b : a, MIA, `wrong password ${i}`, ip);
      expect(outcome).not.toBe("signed in");
    }
    for (const port of [a, b]) {
      expect(await signInOn(browser, port, MIA, MIA.password, ip)).toContain("Too many failed sign-in attempts");
    }
    // Elsewhere the account is fine, on either instance.
    expect(await signInOn(browser, b, MIA, MIA.password, "203.0.113.123")).toBe("signed in");
  });

  test("the organization's audit chain has no gap or fork after a concurrent burst through both instances", async ({ request }) => {
    const ports = instancePorts();
    const org = await queryOne<{ organizationId: string }>(
      `SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`,
      OWNER.email,
    );
    const before = (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "chain" = ?`, org!.organizationId))!.n;
    // 40 failed sign-ins for a member of the organization, at once, from 40 networks, alternating instances:
    // each one appends a `user.sign_in` failure to the same chain.
    const csrf = async (port: number) => {
      const answer = await request.get(at(port, "/api/auth/csrf"), { headers: { connection: "close" } });
      // Every cookie set (the CSRF cookie is not necessarily the first: the device cookie may come before it).
      const cookie = (answer.headers()["set-cookie"] ?? "")
        .split("\n")
        .map((line) => line.split(";")[0].trim())
        .filter(Boolean)
        .join("; ");
      return { token: ((await answer.json()) as { csrfToken: string }).csrfToken, cookie };
    };
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const port = ports[i % ports.length];
        const { token, cookie } = await csrf(port);
        await request.post(at(port, "/api/auth/callback/password"), {
          // The origin users see is the balancer's public URL, whichever instance answers.
          headers: { cookie, "x-forwarded-for": `192.0.2.${i + 1}`, origin: baseURL(), connection: "close" },
          form: { csrfToken: token, email: MIA.email, password: `burst ${i}`, json: "true" },
          maxRedirects: 0,
        });
      }),
    );
    const chain = await queryAll<{ seq: number; prevHash: string; hash: string }>(
      `SELECT seq, "prevHash", hash FROM "AuditEvent" WHERE "chain" = ? ORDER BY seq`,
      org!.organizationId,
    );
    expect(chain.length).toBeGreaterThanOrEqual(before + 40);
    chain.forEach((event, i) => {
      expect(Number(event.seq)).toBe(i + 1);
      if (i > 0) expect(event.prevHash).toBe(chain[i - 1].hash);
    });
  });
});
