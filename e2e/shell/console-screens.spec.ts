import { expect, test, type Page } from "@playwright/test";
import { OWNER, baseURL, signIn } from "../fixtures/app";
import { openSudo, submitPassword } from "../fixtures/two-factor";

// Every console page, as a person would see it: light and dark, wide and narrow.
// The screenshots land in test-results/screens/ for a human to look at.
const PAGES = ["overview", "sessions", "security", "api-keys", "secrets", "job-env", "webhooks", "audit", "import-export", "members", "settings", "restore-trust", "platform", "platform/props", "platform/playgrounds"];
const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];

async function setTheme(page: Page, theme: "light" | "dark") {
  await page.context().addCookies([{ name: "theme", value: theme, url: baseURL() }]);
}

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test("every console page in light and dark, at 1280 and 390 px, without horizontal scrolling", async ({ page }) => {
  test.setTimeout(600_000);
  // A failed attempt, so the audit log and the overview show a failure next to successes.
  await submitPassword(page, OWNER.email, "not the owner's password");
  await expect(page.getByRole("alert").filter({ hasText: /\S/ }).first()).toBeVisible();
  await signIn(page, OWNER.email, OWNER.password);
  // From here on, no page may log an error or throw (hydration mismatches included).
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));

  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      for (const path of PAGES) {
        await page.goto(`/${path}`);
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /dark/ : /^(?!.*dark)/);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: `test-results/screens/${path.replace("/", "-")}-${theme}-${size.width}.png`, fullPage: true });
      }
    }
  }

  // A generated platform form (with reference pickers), then the API key form open (scope picker,
  // restrictions, expiry), in both themes and widths.
  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await page.goto("/platform/playgrounds");
      await page.getByRole("button", { name: "New playground" }).click();
      await page.getByRole("button", { name: "Create playground" }).click();
      await expect(page.getByText("Start with a letter or digit").or(page.getByText("Enter a name.")).first()).toBeVisible();
      await noHorizontalOverflow(page);
      await page.screenshot({ path: `test-results/screens/platform-playground-form-${theme}-${size.width}.png`, fullPage: true });
      await page.goto("/api-keys");
      await page.getByRole("button", { name: "New API key" }).click();
      await page.getByLabel("Full access (*)").check();
      await page.getByText("Restrict to chosen resources (optional)").click();
      await page.getByLabel("Expires").selectOption("never");
      await noHorizontalOverflow(page);
      await page.screenshot({ path: `test-results/screens/api-keys-create-${theme}-${size.width}.png`, fullPage: true });
    }
  }

  // The header with the sudo countdown, in both themes and widths.
  await page.goto("/security");
  await openSudo(page, OWNER.password);
  for (const theme of ["light", "dark"] as const) {
    await setTheme(page, theme);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      await page.goto("/overview");
      await expect(page.getByTestId("sudo-indicator")).toBeVisible();
      await noHorizontalOverflow(page);
      await page.screenshot({ path: `test-results/screens/sudo-overview-${theme}-${size.width}.png` });
    }
  }
  // Every page once more with sudo open.
  for (const path of PAGES) {
    await page.goto(`/${path}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByTestId("sudo-indicator")).toBeVisible();
  }
  expect(errors).toEqual([]);
});
