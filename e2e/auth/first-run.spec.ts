import { expect, test } from "@playwright/test";
import { OWNER, auditCount, baseURL, queryOne, serverOutput } from "../fixtures/app";

/** The one-time setup links the servers printed at start (one per instance). */
function printedSetupLinks(): string[] {
  return [...serverOutput().matchAll(/Open this link to create the first owner account:\s+(\S+\/setup\?token=[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
}

test.describe("first run", () => {
  test("setup needs the one-time link the server printed; without it or with a wrong one there is no form", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Set up Gatehouse" })).toBeVisible();
    await expect(page.getByText("Open the setup link from the server output")).toBeVisible();
    await expect(page.getByLabel("Organization name")).toHaveCount(0);
    await page.goto("/setup?token=guessed-token-guessed-token-1234");
    await expect(page.getByText("This setup link is not valid")).toBeVisible();
    await expect(page.getByLabel("Organization name")).toHaveCount(0);
    expect((await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "User"`))?.n).toBe(0);
  });

  test("a fresh install leads to owner setup through the printed link, validates input, and signs the owner in", async ({ page }) => {
    const links = printedSetupLinks();
    expect(links.length).toBeGreaterThanOrEqual(1);
    const link = new URL(links[0]);
    expect(link.origin).toBe(new URL(baseURL()).origin);
    await page.goto(`${link.pathname}${link.search}`);
    await expect(page.getByRole("heading", { name: "Set up Gatehouse" })).toBeVisible();

    // Bad input gets precise errors next to the fields and keeps what was typed.
    await page.getByLabel("Organization name").fill(OWNER.org);
    await page.getByLabel("Your name").fill(OWNER.name);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Confirm password").fill("different");
    await page.getByRole("button", { name: "Create owner account" }).click();
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();
    await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Organization name")).toHaveValue(OWNER.org);
    expect((await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "User"`))?.n).toBe(0);

    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
    await page.getByLabel("Confirm password").fill(OWNER.password);
    await page.getByRole("button", { name: "Create owner account" }).click();
    await page.waitForURL("**/overview");
    await expect(page.getByText(`Security overview of ${OWNER.org}.`)).toBeVisible();

    expect(await auditCount("organization.created")).toBe(1);
    expect(await auditCount("user.sign_in", `"outcome" = 'success'`)).toBe(1);
    const user = await queryOne<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE "email" = ?`, OWNER.email);
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  test("setup is closed once an owner exists, printed links included", async ({ page }) => {
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/sign-in$/);
    const link = new URL(printedSetupLinks()[0]);
    await page.goto(`${link.pathname}${link.search}`);
    await expect(page).toHaveURL(/\/sign-in$/);
    expect((await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "SetupToken"`))?.n).toBe(0);
  });
});
