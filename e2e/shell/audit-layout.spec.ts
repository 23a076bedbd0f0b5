import { expect, test, type Locator, type Page } from "@playwright/test";
import { OWNER, signIn } from "../fixtures/app";
import { submitPassword } from "../fixtures/two-factor";

// A failed sign-in must never look like a successful one: its outcome stays in
// sight, inside its card, at desktop and phone widths, on both pages that list events.

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

function failedSignInRow(page: Page): Locator {
  return page
    .getByRole("row")
    .filter({ hasText: "user.sign_in" })
    .filter({ has: page.getByRole("cell", { name: /^(failure|Failed)$/ }) })
    .first();
}

async function expectOutcomeInSight(page: Page, width: number) {
  const row = failedSignInRow(page);
  await expect(row).toBeVisible();
  await expect(row).toContainText("Sign-in failed");
  const outcome = row.getByRole("cell", { name: /^(failure|Failed)$/ });
  const card = row.locator("xpath=ancestor::section[1]");
  const [cell, box] = [await outcome.boundingBox(), await card.boundingBox()];
  expect(cell && box).toBeTruthy();
  if (!cell || !box) return;
  // Inside the viewport horizontally (no scrolling sideways to find it)…
  expect(cell.x).toBeGreaterThanOrEqual(0);
  expect(cell.x + cell.width).toBeLessThanOrEqual(width);
  // …and inside its card, not cut off by it.
  expect(cell.x).toBeGreaterThanOrEqual(box.x);
  expect(cell.x + cell.width).toBeLessThanOrEqual(box.x + box.width);
  expect(cell.y).toBeGreaterThanOrEqual(box.y);
  expect(cell.y + cell.height).toBeLessThanOrEqual(box.y + box.height);
  await noHorizontalOverflow(page);
}

test.describe("audit events fit their cards", () => {
  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await submitPassword(page, OWNER.email, "a wrong password for the audit log");
    await expect(page.getByRole("alert").filter({ hasText: /\S/ }).first()).toBeVisible();
    await context.close();
  });

  for (const size of [
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ]) {
    test(`at ${size.width} px the outcome of a failed sign-in is in sight on the audit log and the overview`, async ({ page }) => {
      await page.setViewportSize(size);
      await signIn(page, OWNER.email, OWNER.password);
      await expectOutcomeInSight(page, size.width);
      await page.goto("/audit");
      await expectOutcomeInSight(page, size.width);
    });
  }
});
