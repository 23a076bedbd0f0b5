import { expect, test, type Browser } from "@playwright/test";
import { baseURL, queryAll, queryOne, signIn } from "../fixtures/app";
import { recordActions, type Captured } from "../fixtures/actions";
import { forgetSessions, inviteUser, newestSession, sessionById, type TestUser } from "../fixtures/people";
import { cookieHeader, requestFrom } from "../fixtures/raw-http";

// Issue #6, item 1. When a server action is posted to a page that does not
// bundle it, Next re-sends it to itself over a new loopback connection with the
// client's headers. That inner request must keep the real client's address:
// neither the loopback peer (a trusted proxy here) nor a forged X-Forwarded-For.

const FAY: TestUser = { name: "Fay Forward", email: "fay@acme.test", password: "forwarded requests keep their peer" };

// Fay's browser sits behind the test's "proxy" (the browser connects from 127.0.0.1, which is trusted).
const HOME = "203.0.113.10";
// What the attacker claims to be: the same /24, so believing it would keep the session trusted.
const FORGED = "203.0.113.66";
// Where the attacker really is: another loopback address, not a trusted proxy.
const ATTACKER = "127.0.0.2";

const invitations = async (email: string) => (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "Invitation" WHERE "email" = ?`, email))?.n;
const rowsWithIp = async (ip: string) => ({
  audit: (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "ip" = ?`, ip))?.n,
  sessions: (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "Session" WHERE "ip" = ?`, ip))?.n,
});

/** Sign Fay in from HOME (through the trusted proxy) in a fresh browser context. */
async function signInAtHome(browser: Browser) {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": HOME } });
  const page = await context.newPage();
  await signIn(page, FAY.email, FAY.password);
  const session = await newestSession(FAY.email);
  expect(session).toMatchObject({ trustState: "trusted", ip: HOME });
  // A thief replays the browser's user agent too, so only the address can give them away.
  const userAgent = await page.evaluate(() => navigator.userAgent);
  return { context, page, session, userAgent };
}

test.describe.serial("client IP of internally forwarded server actions", () => {
  let invite: Captured;
  let capturedEmail: string;

  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, FAY, "admin");
  });
  test.beforeEach(async () => {
    await forgetSessions(FAY.email);
  });

  test("capture: the request behind 'Create invitation' on /members", async ({ browser }) => {
    const { context, page } = await signInAtHome(browser);
    await page.goto("/members");
    const calls = recordActions(page);
    capturedEmail = "captured.invite@acme.test";
    const answered = page.waitForResponse((r) => r.request().method() === "POST" && Boolean(r.request().headers()["next-action"]));
    await page.getByLabel("Email").fill(capturedEmail);
    await page.getByRole("button", { name: "Create invitation" }).click();
    await answered;
    expect(calls.length).toBeGreaterThanOrEqual(1);
    invite = calls[0];
    expect(new URL(invite.url).pathname).toBe("/members");
    expect(invite.body.toString("utf8")).toContain(capturedEmail);
    await context.close();
  });

  /**
   * Replay the captured invitation from ATTACKER with Fay's cookie and a forged
   * X-Forwarded-For, posted to `path`, inviting `email` instead.
   */
  async function replayFromAttacker(path: string, stolen: { cookie: string; userAgent: string }, email: string) {
    const body = invite.body.toString("utf8").replace(capturedEmail, email);
    return requestFrom(ATTACKER, {
      method: "POST",
      path,
      headers: {
        cookie: stolen.cookie,
        "user-agent": stolen.userAgent,
        "next-action": invite.action,
        "content-type": invite.contentType,
        origin: baseURL(),
        accept: "text/x-component",
        "x-forwarded-for": FORGED,
      },
      body,
    });
  }

  async function expectRefusedAsUntrusted(sessionId: string, response: { status: number; body: string }, email: string) {
    expect(response.status).toBe(200);
    expect(response.body).toContain("untrusted");
    // Refused because of trust: the real address left the session's network.
    const session = await sessionById(sessionId);
    expect(session?.trustState).toBe("untrusted");
    expect(session?.trustReason).toBe(`The IP address moved to another network (${ATTACKER})`);
    expect(await invitations(email)).toBe(0);
    const untrusted = await queryAll<{ ip: string | null; metadata: string }>(
      `SELECT "ip", "metadata" FROM "AuditEvent" WHERE "action" = ? AND "resourceId" = ?`,
      "session.untrusted",
      session?.publicId,
    );
    expect(untrusted).toHaveLength(1);
    expect(untrusted[0].ip).toBe(ATTACKER);
    expect(JSON.parse(untrusted[0].metadata).reason).toContain(ATTACKER);
    // The forged address is recorded nowhere.
    expect(await rowsWithIp(FORGED)).toEqual({ audit: 0, sessions: 0 });
  }

  test("replayed to /members from another address with a forged X-Forwarded-For: refused as untrusted", async ({ browser }) => {
    const { context, session, userAgent } = await signInAtHome(browser);
    const email = "direct.replay@acme.test";
    const response = await replayFromAttacker("/members", { cookie: await cookieHeader(context), userAgent }, email);
    await expectRefusedAsUntrusted(session.id, response, email);
    await context.close();
  });

  test("replayed to /sign-in, which Next forwards to /members internally: refused the same way", async ({ browser }) => {
    const { context, session, userAgent } = await signInAtHome(browser);
    const email = "forwarded.replay@acme.test";
    const response = await replayFromAttacker("/sign-in", { cookie: await cookieHeader(context), userAgent }, email);
    await expectRefusedAsUntrusted(session.id, response, email);
    await context.close();
  });
});
