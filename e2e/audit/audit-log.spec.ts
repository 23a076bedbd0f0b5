import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { OWNER, auditCount, baseURL, execSql, onPostgres, queryAll, queryOne, signIn } from "../fixtures/app";
import { inviteUser, userId, type TestUser } from "../fixtures/people";
import { insertApiKey } from "../fixtures/api";
import { computeAuditHash } from "../../lib/audit-hash";

// The audit log as a security reviewer uses it: an auditor filters by actor and
// action through the form, opens an event, exports the view as CSV and JSON
// Lines and reads the files back, verifies the chain, and reaches no mutation.
const AUDREY: TestUser = { name: "Audrey Auditor", email: "audrey.audit@acme.test", password: "reviewers read every event" };
const MEL: TestUser = { name: "Mel Member", email: "mel.audit@acme.test", password: "members never read the log" };

let orgId = "";

/** A tiny RFC 4180 reader (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      (row = []), (cell = ""), i++;
    } else cell += c;
  }
  return rows;
}

/**
 * Append `n` correctly chained events to the organization's chain, one a minute
 * back from now (set-up for paging: a fresh database holds fewer than a page).
 */
async function seedEvents(n: number) {
  const head = await queryOne<{ seq: number; hash: string }>(`SELECT "seq", "hash" FROM "AuditEvent" WHERE "chain" = ? ORDER BY "seq" DESC LIMIT 1`, orgId);
  let seq = Number(head!.seq);
  let prevHash = head!.hash;
  for (let i = 0; i < n; i++) {
    seq += 1;
    const fields = {
      id: `seed${String(i).padStart(4, "0")}${Math.random().toString(36).slice(2, 8)}`, chain: orgId, seq, occurredAt: new Date(Date.now() - (i + 1) * 60_000), organizationId: orgId,
      actorType: "system", actorId: null, actorLabel: "seeded job", action: "prop.created", resourceType: "prop", resourceId: `p${i}`, resourceLabel: `seeded ${i}`,
      outcome: "success", ip: null, userAgent: null, sessionId: null, apiKeyId: null, sudoGrantId: null, metadata: "{}", prevHash,
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
}

async function download(page: Page, testId: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return readFileSync((await file.path())!, "utf8");
}

test.describe.serial("Audit log", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    await inviteUser(browser, AUDREY, "auditor");
    await inviteUser(browser, MEL, "member");
    orgId = (await queryOne<{ id: string }>(`SELECT "organizationId" AS id FROM "Membership" WHERE "userId" = ?`, await userId(AUDREY.email)))!.id;
  });

  test("an auditor filters by actor and action through the form, and the filters live in the URL", async ({ page }) => {
    await signIn(page, AUDREY.email, AUDREY.password);
    await page.goto("/audit");
    await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
    await page.getByLabel("Actor", { exact: true }).selectOption({ label: `${OWNER.name} (${OWNER.email})` });
    await page.getByLabel("Action").selectOption({ label: "Invitation created" });
    await page.getByTestId("audit-apply").click();
    await page.waitForURL(/action=invitation\.created/);
    const url = new URL(page.url());
    expect(url.searchParams.get("actor")).toBe(await userId(OWNER.email));

    const expected = await queryAll<{ id: string }>(
      `SELECT "id" FROM "AuditEvent" WHERE "organizationId" = ? AND "actorId" = ? AND "action" = 'invitation.created' ORDER BY "occurredAt" DESC, "id" DESC`,
      orgId,
      await userId(OWNER.email),
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    const rows = page.getByTestId("audit-event");
    await expect(rows).toHaveCount(expected.length);
    for (const action of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-action")))) expect(action).toBe("invitation.created");

    // The same link opened fresh shows the same view (shareable, bookmarkable).
    await page.goto(url.pathname + url.search);
    await expect(page.getByTestId("audit-event")).toHaveCount(expected.length);
    await expect(page.getByLabel("Action")).toHaveValue("invitation.created");

    // Free text narrows further; a text nothing matches says so.
    await page.getByLabel("Search", { exact: true }).fill(MEL.email);
    await page.getByTestId("audit-apply").click();
    await page.waitForURL(/q=/);
    await expect(page.getByTestId("audit-event")).toHaveCount(1);
    await page.getByLabel("Search", { exact: true }).fill("no-such-thing-anywhere");
    await page.getByTestId("audit-apply").click();
    await expect(page.getByText("No events match these filters")).toBeVisible();
  });

  test("an event's detail shows every field, its metadata, the sudo grant and its place in the chain", async ({ page }) => {
    await signIn(page, AUDREY.email, AUDREY.password);
    await page.goto("/audit?action=invitation.created");
    await page.getByTestId("audit-event-link").first().click();
    await page.waitForURL(/\/audit\/[^/?]+$/);
    const id = page.url().split("/").pop()!;
    const row = await queryOne<{ seq: number; hash: string; prevHash: string; sudoGrantId: string | null; metadata: string; resourceId: string | null }>(
      `SELECT "seq", "hash", "prevHash", "sudoGrantId", "metadata", "resourceId" FROM "AuditEvent" WHERE "id" = ?`,
      id,
    );
    expect(row).toBeDefined();
    await expect(page.getByTestId("audit-seq")).toHaveText(`#${row!.seq}`);
    await expect(page.getByTestId("audit-hash")).toHaveText(row!.hash);
    await expect(page.getByText(row!.prevHash, { exact: true })).toBeVisible();
    for (const [key] of Object.entries(JSON.parse(row!.metadata))) await expect(page.getByTestId("audit-metadata")).toContainText(key);
    // Inviting needs sudo: the grant and the factor that opened it are shown.
    expect(row!.sudoGrantId).not.toBeNull();
    await expect(page.getByTestId("audit-sudo-factor")).toContainText("Confirmed with Password");

    // "Other events by this actor" opens the log filtered to the actor.
    await page.getByTestId("audit-actor-events").click();
    await page.waitForURL(/\/audit\?actor=/);
    await expect(page.getByTestId("audit-event").first()).toBeVisible();

    // Another organization's event id is simply not found.
    const response = await page.goto("/audit/not-an-event-of-this-org");
    expect(response?.status()).toBe(404);
  });

  test("the current view exports as CSV and JSON Lines, and each export is audited", async ({ page }) => {
    await signIn(page, AUDREY.email, AUDREY.password);
    await page.goto("/audit?action=invitation.created");
    const expected = await queryAll<{ id: string; hash: string }>(
      `SELECT "id", "hash" FROM "AuditEvent" WHERE "organizationId" = ? AND "action" = 'invitation.created' ORDER BY "occurredAt" DESC, "id" DESC`,
      orgId,
    );
    const exportsBefore = await auditCount("audit.exported");

    const csv = parseCsv(await download(page, "audit-export-csv"));
    expect(csv[0].slice(0, 7)).toEqual(["occurred_at", "id", "seq", "actor_type", "actor_id", "actor_label", "action"]);
    const idCol = csv[0].indexOf("id");
    // An id may begin with "-" (base64url): the CSV then carries it with the
    // leading apostrophe that keeps spreadsheets from reading a formula.
    expect(csv.slice(1).map((r) => r[idCol])).toEqual(expected.map((e) => e.id.replace(/^[=+\-@]/, "'$&")));

    const lines = (await download(page, "audit-export-jsonl")).trim().split("\n").map((l) => JSON.parse(l));
    const events = lines.filter((l) => l.type === "event");
    expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(events[0]).toMatchObject({ action: "invitation.created", hash: expected[0].hash });
    expect(lines.at(-1)).toMatchObject({ type: "summary", events: expected.length, hashes_verified: expected.length, hash_mismatches: [], filters: "action=invitation.created" });

    expect(await auditCount("audit.exported")).toBe(exportsBefore + 2);
    const last = await queryOne<{ actorId: string; metadata: string }>(`SELECT "actorId", "metadata" FROM "AuditEvent" WHERE "action" = 'audit.exported' ORDER BY "occurredAt" DESC LIMIT 1`);
    expect(last!.actorId).toBe(await userId(AUDREY.email));
    expect(JSON.parse(last!.metadata)).toMatchObject({ format: "jsonl", filters: "action=invitation.created" });
  });

  test("chain verification streams to a result with the head hash, recorded in the log", async ({ page }) => {
    await signIn(page, AUDREY.email, AUDREY.password);
    await page.goto("/audit");
    await page.getByTestId("audit-verify").click();
    await expect(page.getByTestId("audit-verify-result")).toHaveAttribute("data-ok", "true");
    const head = (await page.getByTestId("audit-chain-head").innerText()).trim();
    expect(head).toMatch(/^[0-9a-f]{64}$/);
    const recorded = await queryOne<{ metadata: string; actorId: string }>(`SELECT "metadata", "actorId" FROM "AuditEvent" WHERE "chain" = ? AND "action" = 'audit.chain_verified' ORDER BY "seq" DESC LIMIT 1`, orgId);
    expect(JSON.parse(recorded!.metadata)).toMatchObject({ head_hash: head });
    expect(recorded!.actorId).toBe(await userId(AUDREY.email));
  });

  test("load more appends the next page and jump to date starts at that time", async ({ page }) => {
    await seedEvents(60);
    await signIn(page, AUDREY.email, AUDREY.password);
    const total = (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "organizationId" = ?`, orgId))!.n;
    expect(total).toBeGreaterThan(60);
    await page.goto("/audit");
    const rows = page.getByTestId("audit-event");
    await expect(rows).toHaveCount(50);
    await page.getByTestId("audit-load-more").click();
    await expect(rows).toHaveCount(Math.min(100, total));
    // Nothing shown twice across the two pages.
    const ids = await page.getByTestId("audit-event-link").evaluateAll((els) => els.map((e) => e.getAttribute("href")));
    expect(new Set(ids).size).toBe(ids.length);
    // The seeded chain still verifies: the set-up wrote it the way the app does.
    await page.getByTestId("audit-verify").click();
    await expect(page.getByTestId("audit-verify-result")).toHaveAttribute("data-ok", "true");

    const oldest = await queryOne<{ occurredAt: string | Date }>(`SELECT "occurredAt" FROM "AuditEvent" WHERE "organizationId" = ? ORDER BY "occurredAt" ASC LIMIT 1`, orgId);
    const at = new Date(new Date(oldest!.occurredAt).getTime() + 60_000).toISOString().slice(0, 16);
    await page.getByLabel("Jump to date (UTC)").fill(at);
    await page.getByTestId("audit-apply").click();
    await page.waitForURL(/at=/);
    const times = await page.locator("[data-testid=audit-event] time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")!));
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t.slice(0, 16) <= at).toBe(true);
  });

  test("an auditor reaches no mutation; a member reaches no audit log", async ({ page, request }) => {
    await signIn(page, AUDREY.email, AUDREY.password);
    await page.goto("/audit");
    await expect(page.getByRole("button", { name: /Delete|Edit|Remove|Revoke/ })).toHaveCount(0);
    await page.goto("/members");
    await expect(page.getByRole("button", { name: "Create invitation" })).toHaveCount(0);

    // An auditor's key may read the log through the API, and nothing it holds lets it write.
    const { raw } = await insertApiKey({ orgId, ownerId: await userId(AUDREY.email), scopes: ["audit:read", "props:write", "keys:manage"] });
    const auth = { Authorization: `Bearer ${raw}` };
    const list = await request.get(`${baseURL()}/api/v1/audit-events?limit=1&action=invitation.created`, { headers: auth });
    expect(list.status()).toBe(200);
    const body = await list.json();
    expect(body.data).toHaveLength(1);
    expect(body.next_cursor).toEqual(expect.any(String));
    const next = await request.get(`${baseURL()}/api/v1/audit-events?limit=1&action=invitation.created&cursor=${encodeURIComponent(body.next_cursor)}`, { headers: auth });
    expect(next.status()).toBe(200);
    const replayed = await request.get(`${baseURL()}/api/v1/audit-events?limit=1&action=member.removed&cursor=${encodeURIComponent(body.next_cursor)}`, { headers: auth });
    expect(replayed.status()).toBe(400);
    expect((await request.post(`${baseURL()}/api/v1/props`, { headers: auth, data: { name: "nope", data: {} } })).status()).toBe(403);
    expect((await request.post(`${baseURL()}/api/v1/keys`, { headers: auth, data: { name: "nope", scopes: ["props:read"] } })).status()).toBe(403);
    const exported = await request.get(`${baseURL()}/api/v1/audit-events/export?format=csv&action=invitation.created`, { headers: auth });
    expect(exported.status()).toBe(200);
    expect((await exported.text()).split("\r\n")[0]).toContain("occurred_at,id,seq");

    // A member: no page, no export, no verification, no API access even with the scope on the key.
    await page.context().clearCookies();
    await signIn(page, MEL.email, MEL.password);
    await page.goto("/audit");
    await expect(page.getByTestId("audit-event")).toHaveCount(0);
    expect((await page.request.get("/audit/export?format=csv")).status()).toBe(403);
    expect((await page.request.post("/audit/verify", { headers: { origin: baseURL() } })).status()).toBe(403);
    const memberKey = await insertApiKey({ orgId, ownerId: await userId(MEL.email), scopes: ["audit:read"] });
    expect((await request.get(`${baseURL()}/api/v1/audit-events`, { headers: { Authorization: `Bearer ${memberKey.raw}` } })).status()).toBe(403);
  });
});
