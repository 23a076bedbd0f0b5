import { expect, test, type Page } from "@playwright/test";
import { OWNER, signIn } from "../fixtures/app";

const AREAS = ["Overview", "Sessions", "Security", "API keys", "Secrets", "Job ENV", "Webhooks", "Audit log", "Import / Export", "Members", "Settings"];

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe("console shell", () => {
  test("the sidebar reaches every area; unbuilt areas say so honestly", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const nav = page.getByRole("navigation", { name: "Console" });
    for (const area of AREAS) await expect(nav.getByRole("link", { name: area, exact: true })).toBeVisible();
    await nav.getByRole("link", { name: "Import / Export" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Import / Export" })).toBeVisible();
    await expect(page.getByText("This area is not available yet")).toBeVisible();
    await expect(nav.getByRole("link", { name: "Import / Export" })).toHaveAttribute("aria-current", "page");
  });

  test("is keyboard-usable: tab to the nav and follow a link with Enter", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const members = page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" });
    for (let i = 0; i < 20 && !(await members.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(members).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/members$/);
  });

  test("light and dark themes, wide and narrow, without horizontal scrolling", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/sign-in");
    await shoot(page, "sign-in-light-1280");
    await signIn(page, OWNER.email, OWNER.password);
    await shoot(page, "overview-light-1280");
    await page.goto("/members");
    await noHorizontalOverflow(page);
    await shoot(page, "members-light-1280");

    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await shoot(page, "members-dark-1280");
    await page.goto("/overview");
    await shoot(page, "overview-dark-1280");

    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/overview", "/members", "/audit", "/settings"]) {
      await page.goto(path);
      await noHorizontalOverflow(page);
    }
    await shoot(page, "settings-dark-390");
    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    await expect(drawer).toBeVisible();
    await shoot(page, "nav-drawer-dark-390");
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await page.getByRole("button", { name: "Open navigation" }).click();
    await expect(page.getByRole("button", { name: "Close navigation" })).toBeFocused();
    await drawer.getByRole("link", { name: "Audit log" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(drawer).toBeHidden();

    await page.getByRole("button", { name: "Switch to light theme" }).click();
    await page.goto("/members");
    await noHorizontalOverflow(page);
    await shoot(page, "members-light-390");
    await page.context().clearCookies();
    await page.goto("/sign-in");
    await shoot(page, "sign-in-light-390");
  });
});
