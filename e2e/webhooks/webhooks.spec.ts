import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { OWNER, auditCount, baseURL, signedInPage } from "../fixtures/app";
import { confirmSudoWithPassword, sudoDialog } from "../fixtures/two-factor";
import { verifyWebhook } from "../../lib/webhooks/signature";

// The Webhooks pages end to end against the production build, with the worker
// running inside the server: a receiver on 127.0.0.1 (allowed for the e2e
// server only, by WEBHOOKS_ALLOWED_PRIVATE_CIDRS) checks every signature.
interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

let receiver: http.Server;
let hookUrl = "";
const received: Received[] = [];
let owner: { context: BrowserContext; page: Page };
let secret = "";

async function withSudo(page: Page, submit: () => Promise<void>, done: ReturnType<Page["getByTestId"]>) {
  await submit();
  await expect(sudoDialog(page).or(done)).toBeVisible();
  if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, OWNER.password);
}

async function readSecret(page: Page): Promise<string> {
  const shown = page.getByTestId("webhook-secret");
  await expect(shown).toBeVisible();
  const value = (await shown.innerText()).trim();
  expect(value).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  return value;
}

/** Reload the endpoint page until the newest delivery shows `text`. */
async function waitForDelivery(page: Page, text: RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("delivery").first()).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

test.describe.serial("Webhooks", () => {
  test.beforeAll(async ({ browser }) => {
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ id: String(req.headers["webhook-id"]), timestamp: String(req.headers["webhook-timestamp"]), signature: String(req.headers["webhook-signature"]), body });
        res.writeHead(200, { "content-type": "text/plain" }).end("received by the e2e receiver");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    owner = await signedInPage(browser, OWNER.email, OWNER.password);
  });
  test.afterAll(async () => {
    await owner?.context.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });

  test("create an endpoint under sudo; the secret is shown once", async () => {
    const { page } = owner;
    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await expect(page.getByText("No endpoints yet")).toBeVisible();
    await page.getByRole("button", { name: "New endpoint" }).click();
    const form = page.getByRole("form", { name: "Create a webhook endpoint" });
    await form.getByLabel("Endpoint URL").fill(hookUrl);
    await form.getByLabel("Description (optional)").fill("E2E receiver");
    await form.getByLabel("Prop", { exact: true }).check();
    await withSudo(page, () => form.getByRole("button", { name: "Create endpoint" }).click(), page.getByTestId("webhook-secret"));
    secret = await readSecret(page);
    await page.getByRole("button", { name: "I have copied the secret" }).click();
    await page.waitForURL(/\/webhooks\/[^/]+$/);
    await expect(page.getByTestId("endpoint-url")).toHaveText(hookUrl);
    expect(await page.content()).not.toContain(secret.slice(6));
    expect(await auditCount("webhook.created")).toBeGreaterThanOrEqual(1);
  });

  test("send a test event and see it in the history with headers and response", async () => {
    const { page } = owner;
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("Test event queued")).toBeVisible();
    await waitForDelivery(page, /webhook\.test[\s\S]*1 attempt/);
    const delivery = page.getByTestId("delivery").first();
    await expect(delivery).toContainText("Succeeded");
    await delivery.locator("summary").click();
    await expect(delivery.getByTestId("request-headers")).toContainText("webhook-signature: v1,");
    await expect(delivery.getByTestId("response-body")).toContainText("HTTP 200");
    await expect(delivery.getByTestId("response-body")).toContainText("received by the e2e receiver");
    const got = received.at(-1)!;
    expect(JSON.parse(got.body)).toMatchObject({ type: "webhook.test" });
    expect(verifyWebhook(secret, got, got.body)).toEqual({ ok: true });
    await expect(delivery.getByTestId("request-headers")).toContainText(`webhook-id: ${got.id}`);
  });

  test("redeliver sends the same webhook-id again", async () => {
    const { page } = owner;
    const before = received.length;
    const first = received.at(-1)!;
    const delivery = page.getByTestId("delivery").first();
    if ((await delivery.locator("details").getAttribute("open")) === null) await delivery.locator("summary").click();
    await delivery.getByRole("button", { name: "Redeliver" }).click();
    await expect(page.getByText("1 delivery queued again.")).toBeVisible();
    await waitForDelivery(page, /redelivery/);
    await expect.poll(() => received.length).toBeGreaterThan(before);
    expect(received.at(-1)!.id).toBe(first.id);
  });

  test("rotate the secret: both signatures during the grace period", async () => {
    const { page } = owner;
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByLabel("Keep the old secret signing for").selectOption("24");
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const fresh = await readSecret(page);
    expect(fresh).not.toBe(secret);
    await page.getByRole("button", { name: "I have copied the secret" }).click();
    await expect(page.getByText("The previous secret signs too until")).toBeVisible();
    const before = received.length;
    await page.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThan(before);
    const got = received.at(-1)!;
    expect(got.signature.split(" ")).toHaveLength(2);
    expect(verifyWebhook(secret, got, got.body).ok).toBe(true);
    expect(verifyWebhook(fresh, got, got.body).ok).toBe(true);
    expect(await auditCount("webhook.secret_rotated")).toBeGreaterThanOrEqual(1);
  });

  test("the pages look finished at 1280 and 390 px, light and dark", async () => {
    const { page } = owner;
    const detail = page.url();
    for (const [name, url] of [
      ["list", "/webhooks"],
      ["endpoint", detail],
    ] as const) {
      for (const width of [1280, 390]) {
        for (const scheme of ["light", "dark"] as const) {
          await page.setViewportSize({ width, height: 900 });
          await page.emulateMedia({ colorScheme: scheme });
          await page.context().addCookies([{ name: "theme", value: scheme, url: baseURL() }]);
          await page.goto(url);
          await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /dark/ : /^(?!.*dark)/);
          if (name === "endpoint") await page.getByTestId("delivery").first().locator("summary").click();
          await page.screenshot({ path: `test-results/screens/webhooks-${name}-${width}-${scheme}.png`, fullPage: true });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          expect(overflow, `${name} ${width} ${scheme} scrolls sideways`).toBeLessThanOrEqual(0);
        }
      }
    }
  });
});
