import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { createHmac } from "node:crypto";
import { OWNER, auditCount, baseURL, execSql, queryOne, signedInPage } from "../fixtures/app";
import { confirmSudoWithPassword, sudoDialog } from "../fixtures/two-factor";

// Inbound webhooks end to end: the owner sets up the GitHub intake under sudo and copies the
// secret shown once; a signed push is accepted, a tampered one refused, and both are in the audit log.
let owner: { context: BrowserContext; page: Page };

test.describe.serial("Inbound webhooks", () => {
  test.beforeAll(async ({ browser }) => {
    owner = await signedInPage(browser, OWNER.email, OWNER.password);
  });
  test.afterAll(async () => {
    await owner?.context.close();
  });

  let secret = "";
  let url = "";

  test("the owner sets up the GitHub intake under sudo; the secret is shown once", async () => {
    const { page } = owner;
    await page.goto("/webhooks");
    const row = page.getByTestId("intake-github");
    await expect(row).toContainText("Not set up");
    await row.getByRole("button", { name: "Set up GitHub" }).click();
    const shown = page.getByTestId("intake-secret-github");
    await expect(sudoDialog(page).or(shown)).toBeVisible();
    if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, OWNER.password);
    await expect(shown).toBeVisible();
    secret = (await shown.innerText()).trim();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    url = (await page.getByTestId("intake-secret-reveal-github").locator("code").first().innerText()).trim();
    expect(url).toMatch(/\/api\/v1\/integrations\/github\/webhook\/itk_[A-Za-z0-9_-]+$/);
    await page.getByRole("button", { name: "I have copied the secret" }).click();
    await expect(page.getByTestId("intake-secret-github")).toHaveCount(0);
    await expect(row).toContainText("/api/v1/integrations/github/webhook/itk_");
    expect(await auditCount("integration.intake_created")).toBe(1);
  });

  test("a signed GitHub push is accepted and touches the Prop; a tampered one is refused; both are in the audit log", async ({ request }) => {
    const { page } = owner;
    // A Prop for the repository, made in the console.
    await page.goto("/platform/props");
    await page.getByRole("button", { name: "New prop" }).click();
    await page.getByLabel("Name", { exact: true }).fill("intake-app");
    await page.getByLabel(/Repository URL/).fill("https://github.com/acme/intake-app.git");
    await page.getByRole("button", { name: "Create prop" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Created intake-app." })).toBeVisible();

    const body = JSON.stringify({ ref: "refs/heads/main", after: "0123456789abcdef0123456789abcdef01234567", repository: { full_name: "acme/intake-app", html_url: "https://github.com/acme/intake-app" } });
    const sign = (b: string) => `sha256=${createHmac("sha256", secret).update(b).digest("hex")}`;
    const path = new URL(url).pathname;
    const accepted = await request.post(`${baseURL()}${path}`, {
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "e2e-delivery-1", "x-hub-signature-256": sign(body) },
      data: body,
    });
    expect(accepted.status()).toBe(202);
    const answer = (await accepted.json()) as { accepted: boolean; prop_id: string | null };
    expect(answer.accepted).toBe(true);
    expect(answer.prop_id).toBeTruthy();

    const tampered = await request.post(`${baseURL()}${path}`, {
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "e2e-delivery-2", "x-hub-signature-256": sign(body) },
      data: body.replace("main", "evil"),
    });
    expect(tampered.status()).toBe(401);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe("signature_invalid");
    const replayed = await request.post(`${baseURL()}${path}`, {
      headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": "e2e-delivery-1", "x-hub-signature-256": sign(body) },
      data: body,
    });
    expect(replayed.status()).toBe(409);

    expect(await auditCount("integration.received", `"outcome" = ?`, "success")).toBe(1);
    expect(await auditCount("integration.received", `"outcome" = ?`, "denied")).toBe(2);
    expect(await auditCount("prop.pushed")).toBe(1);
    expect(await queryOne(`SELECT "id" FROM "IntegrationReceipt" WHERE "deliveryId" = ?`, "e2e-delivery-1")).toBeTruthy();

    await page.goto("/audit");
    await expect(page.getByRole("link", { name: "Inbound webhook accepted" }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: "Inbound webhook refused" })).toHaveCount(2);
    await expect(page.getByRole("link", { name: "Push received for a Prop" }).first()).toBeVisible();

    await page.goto("/webhooks");
    await expect(page.getByTestId("intake-github")).not.toContainText("Last accepted: never");
  });

  test("rotating gives a new secret at once; the old one is refused", async ({ request }) => {
    const { page } = owner;
    await page.goto("/webhooks");
    const row = page.getByTestId("intake-github");
    await row.getByRole("button", { name: "Rotate the GitHub secret" }).click();
    await row.getByRole("button", { name: "Rotate secret" }).click();
    const shown = page.getByTestId("intake-secret-github");
    await expect(sudoDialog(page).or(shown)).toBeVisible();
    if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, OWNER.password);
    const fresh = (await shown.innerText()).trim();
    expect(fresh).not.toBe(secret);
    const path = new URL(url).pathname;
    const body = "{}";
    const old = await request.post(`${baseURL()}${path}`, { headers: { "content-type": "application/json", "x-github-delivery": "e2e-3", "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` }, data: body });
    expect(old.status()).toBe(401);
    const ok = await request.post(`${baseURL()}${path}`, { headers: { "content-type": "application/json", "x-github-delivery": "e2e-4", "x-hub-signature-256": `sha256=${createHmac("sha256", fresh).update(body).digest("hex")}` }, data: body });
    expect(ok.status()).toBe(202);
    await page.getByRole("button", { name: "I have copied the secret" }).click();
  });

  test("an endpoint can be filtered to chosen resources with the picker, by keyboard", async () => {
    const { page } = owner;
    await page.goto("/webhooks");
    await page.getByRole("button", { name: "New endpoint" }).click();
    const form = page.getByRole("form", { name: "Create a webhook endpoint" });
    await form.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/filtered");
    await form.getByLabel("Prop", { exact: true }).check();
    const picker = form.getByTestId("resource-picker");
    await expect(picker.getByRole("group", { name: "Prop resources" })).toBeVisible();
    // Only Props are offered once the Prop family is chosen.
    await expect(picker.getByRole("group")).toHaveCount(1);
    await form.getByLabel("Filter resources by name").fill("intake");
    await form.getByLabel("Filter resources by name").press("Tab");
    await expect(picker.getByRole("checkbox", { name: "intake-app" })).toBeFocused();
    await page.keyboard.press("Space");
    await expect(picker.getByRole("checkbox", { name: "intake-app" })).toBeChecked();
    await form.getByRole("button", { name: "Create endpoint" }).click();
    const shown = page.getByTestId("webhook-secret");
    await expect(sudoDialog(page).or(shown)).toBeVisible();
    if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, OWNER.password);
    await page.getByRole("button", { name: "I have copied the secret" }).click();
    await page.waitForURL(/\/webhooks\/[^/]+$/);
    await expect(page.getByTestId("endpoint-resources")).toHaveText("intake-app");
    const row = await queryOne<{ resourceIds: string }>(`SELECT "resourceIds" FROM "WebhookEndpoint" WHERE "url" = ?`, "http://127.0.0.1:9/filtered");
    expect(JSON.parse(row!.resourceIds)).toHaveLength(1);
    // Editing keeps the selection (the form sends it back).
    await page.getByRole("button", { name: "Edit" }).click();
    await expect(page.getByTestId("resource-picker").getByRole("checkbox", { name: "intake-app" })).toBeChecked();
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  test.afterAll(async () => {
    // Leave the server as the next spec expects it: no endpoints (e2e/webhooks/webhooks.spec.ts starts from "No endpoints yet").
    await execSql(`DELETE FROM "WebhookAttempt"`);
    await execSql(`DELETE FROM "WebhookDelivery"`);
    await execSql(`DELETE FROM "WebhookEndpoint"`);
  });

  test("the Webhooks page with its intakes looks finished at 1280 and 390 px, light and dark", async () => {
    const { page } = owner;
    for (const width of [1280, 390]) {
      for (const scheme of ["light", "dark"] as const) {
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        await page.context().addCookies([{ name: "theme", value: scheme, url: baseURL() }]);
        await page.goto("/webhooks");
        await expect(page.getByRole("list", { name: "Inbound webhook intakes" })).toBeVisible();
        await page.screenshot({ path: `test-results/screens/webhooks-intakes-${width}-${scheme}.png`, fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${width} ${scheme} scrolls sideways`).toBeLessThanOrEqual(0);
      }
    }
  });
});
