import { expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { OWNER, execSql, onPostgres, queryOne, signIn } from "../fixtures/app";
import { inviteUser, userId, type TestUser } from "../fixtures/people";
import { insertApiKey } from "../fixtures/api";
import { computeAuditHash } from "../../lib/audit-hash";

// The activity chart on the Audit log and the Security overview, as an auditor
// reviews them; a member cannot open the overview. Screenshots of both pages
// at 1280 and 390 px, light and dark, go to test-results/screens/.
const AVA: TestUser = { name: "Ava Overview", email: "ava.overview@acme.test", password: "auditors review the posture" };
const NOEL: TestUser = { name: "Noel Nofactor", email: "noel.nofactor@acme.test", password: "members have no overview" };
const newId = () => randomBytes(12).toString("base64url");

let orgId = "";
const planted: { webhookId?: string; secretId?: string; keyId?: string } = {};

/** Append correctly chained events (set-up): each `minutesAgo` back from now. */
async function appendEvents(events: { minutesAgo: number; action: string; outcome: string; ip?: string | null; actorType?: string; actorLabel?: string; metadata?: Record<string, unknown> }[]) {
  const head = await queryOne<{ seq: number; hash: string }>(`SELECT "seq", "hash" FROM "AuditEvent" WHERE "chain" = ? ORDER BY "seq" DESC LIMIT 1`, orgId);
  let seq = Number(head!.seq);
  let prevHash = head!.hash;
  for (const e of events) {
    seq += 1;
    const fields = {
      id: `e2e${newId()}`, chain: orgId, seq, occurredAt: new Date(Date.now() - e.minutesAgo * 60_000), organizationId: orgId,
      actorType: e.actorType ?? "user", actorId: null, actorLabel: e.actorLabel ?? "planted", action: e.action, resourceType: null, resourceId: null, resourceLabel: null,
      outcome: e.outcome, ip: e.ip ?? null, userAgent: null, sessionId: null, apiKeyId: null, sudoGrantId: null, metadata: JSON.stringify(e.metadata ?? {}), prevHash,
    };
    const hash = computeAuditHash(fields);
    await execSql(
      `INSERT INTO "AuditEvent" ("id", "chain", "seq", "occurredAt", "organizationId", "actorType", "actorId", "actorLabel", "action", "resourceType", "resourceId", "resourceLabel", "outcome", "ip", "userAgent", "sessionId", "apiKeyId", "sudoGrantId", "metadata", "prevHash", "hash")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      fields.id, fields.chain, fields.seq, onPostgres() ? fields.occurredAt : fields.occurredAt.toISOString().replace("Z", "+00:00"), fields.organizationId, fields.actorType, fields.actorId, fields.actorLabel,
      fields.action, fields.resourceType, fields.resourceId, fields.resourceLabel, fields.outcome, fields.ip, fields.userAgent, fields.sessionId, fields.apiKeyId, fields.sudoGrantId, fields.metadata, fields.prevHash, hash,
    );
    prevHash = hash;
  }
  return prevHash;
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 390]) {
    for (const scheme of ["light", "dark"] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), scheme === "dark");
      await page.waitForTimeout(300);
      await page.screenshot({ path: `test-results/screens/${name}-${scheme}-${width}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} ${scheme} ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe.serial("Audit activity and security overview", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    await inviteUser(browser, AVA, "auditor");
    await inviteUser(browser, NOEL, "member");
    orgId = (await queryOne<{ id: string }>(`SELECT "organizationId" AS id FROM "Membership" WHERE "userId" = ?`, await userId(AVA.email)))!.id;
  });

  test.afterAll(async () => {
    if (planted.webhookId) await execSql(`DELETE FROM "WebhookEndpoint" WHERE "id" = ?`, planted.webhookId);
    if (planted.secretId) await execSql(`DELETE FROM "Secret" WHERE "id" = ?`, planted.secretId);
    if (planted.keyId) await execSql(`UPDATE "ApiKey" SET "revokedAt" = ? WHERE "id" = ?`, new Date(), planted.keyId);
  });

  test("the chart counts the current filter by outcome, in the database, with a table alternative", async ({ page }) => {
    // 5 successes and 2 failures of an action nobody else records, spread over the last 3 hours.
    await appendEvents([
      ...[10, 70, 75, 130, 150].map((m) => ({ minutesAgo: m, action: "prop.chart_probe", outcome: "success" })),
      ...[20, 140].map((m) => ({ minutesAgo: m, action: "prop.chart_probe", outcome: "failure" })),
    ]);
    await signIn(page, AVA.email, AVA.password);
    await page.goto("/audit?action=prop.chart_probe&range=24h");
    const activity = page.getByTestId("audit-activity");
    await expect(activity.getByTestId("audit-activity-total")).toHaveText("7");
    await expect(activity.getByTestId("audit-activity-success")).toHaveText("5");
    await expect(activity.getByTestId("audit-activity-failure")).toHaveText("2");
    await expect(activity.getByTestId("audit-activity-denied")).toHaveText("0");
    // recharts draws the stacked bars (lazily, in the browser).
    await expect(page.getByTestId("audit-activity-chart").locator("svg .recharts-bar-rectangle").first()).toBeVisible();
    await page.getByText(/Show as a table/).click();
    const rows = page.getByTestId("audit-activity-table").locator("tbody tr");
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => Number(td.textContent))));
    expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(7);
    expect(cells.length).toBeGreaterThanOrEqual(3);

    // Narrowing the filter narrows the chart: only the failures.
    await page.goto("/audit?action=prop.chart_probe&range=24h&outcome=failure");
    await expect(page.getByTestId("audit-activity-total")).toHaveText("2");
    // Nothing matches: an empty state, not an empty chart.
    await page.goto("/audit?action=prop.never_happened&range=24h");
    await expect(page.getByText("No activity in this range")).toBeVisible();

    await page.goto("/audit?range=7d");
    await expect(page.getByTestId("audit-activity-chart").locator("svg")).toBeVisible();
    await shoot(page, "audit-log");
  });

  test("the security overview shows an auditor the planted risks, each linking to its fix", async ({ page }) => {
    const ownerId = await userId(OWNER.email);
    const now = new Date();
    const key = await insertApiKey({ orgId, ownerId, scopes: ["*"], name: "overview wildcard key" });
    planted.keyId = key.id;
    planted.webhookId = newId();
    await execSql(
      `INSERT INTO "WebhookEndpoint" ("id", "organizationId", "url", "secret", "status", "disabledReason", "disabledAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      planted.webhookId, orgId, "https://overview-disabled.example/hook", "sealed", "disabled", "Disabled after 5 days of failures.", now, now, now,
    );
    planted.secretId = newId();
    await execSql(
      `INSERT INTO "Secret" ("id", "organizationId", "scope", "scopeKey", "name", "category", "ciphertext", "wrappedKey", "masterKeyId", "createdAt", "updatedAt", "valueChangedAt", "rotationIntervalDays") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      planted.secretId, orgId, "organization", "org", "OVERVIEW_OVERDUE_TOKEN", "integration", "x", "x", "x", now, now, new Date(now.getTime() - 40 * 86_400_000), 30,
    );
    const checkHash = await appendEvents([
      ...[5, 6, 7].map((m) => ({ minutesAgo: m, action: "user.sign_in", outcome: "failure", ip: "198.51.100.77", metadata: { reason: "wrong_password" } })),
      { minutesAgo: 4, action: "audit.chain_verified", outcome: "success", actorType: "system", actorLabel: "nightly audit maintenance", metadata: { checked: 42, head_seq: 42, head_hash: "ab".repeat(32) } },
    ]);
    expect(checkHash).toMatch(/^[0-9a-f]{64}$/);

    await signIn(page, AVA.email, AVA.password);
    const nav = page.getByRole("navigation", { name: "Console" });
    await nav.getByRole("link", { name: "Security overview", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Security overview" })).toBeVisible();

    // Noel signed up with a password only: named among the members without a second factor.
    await expect(page.getByTestId("without-2fa")).toContainText(NOEL.name);
    await expect(page.getByTestId("member-security-row").filter({ hasText: NOEL.email })).toBeVisible();
    const wildcard = page.getByTestId("keys-wildcard").getByRole("link", { name: "overview wildcard key" });
    await expect(wildcard).toHaveAttribute("href", `/api-keys#key-${key.id}`);
    const hook = page.getByTestId("webhooks-flagged").getByRole("link", { name: "https://overview-disabled.example/hook" });
    await expect(hook).toHaveAttribute("href", `/webhooks/${planted.webhookId}`);
    await expect(page.getByTestId("secrets-due")).toContainText("OVERVIEW_OVERDUE_TOKEN");
    await expect(page.getByTestId("secrets-due").getByRole("link", { name: "OVERVIEW_OVERDUE_TOKEN" })).toHaveAttribute("href", "/secrets");
    const failed = Number(await page.getByTestId("failed-sign-ins").textContent());
    expect(failed).toBeGreaterThanOrEqual(3);
    await expect(page.getByTestId("top-sources").getByRole("link", { name: "198.51.100.77" })).toHaveAttribute("href", /\/audit\?.*q=198\.51\.100\.77/);
    await expect(page.getByTestId("last-chain-check")).toContainText("the nightly check");
    await expect(page.getByTestId("last-chain-check")).toContainText("42 events checked");

    // The links lead where the fix is: the failed sign-ins open the filtered audit log.
    await page.getByTestId("failed-sign-ins").click();
    await expect(page).toHaveURL(/\/audit\?.*action=user\.sign_in.*outcome=failure/);
    await expect(page.getByTestId("audit-activity-failure")).not.toHaveText("0");

    await page.goto("/security-overview");
    await shoot(page, "security-overview");
  });

  test("a member cannot open the security overview", async ({ page }) => {
    await signIn(page, NOEL.email, NOEL.password);
    await page.goto("/security-overview");
    await expect(page.getByText("You do not have access to this page")).toBeVisible();
    await expect(page.getByTestId("member-security")).toHaveCount(0);
    await expect(page.getByText("OVERVIEW_OVERDUE_TOKEN")).toHaveCount(0);
  });
});
