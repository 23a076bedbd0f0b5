import { expect, test } from "@playwright/test";
import { OWNER, auditCount, queryOne } from "../fixtures/app";

test.describe("first run", () => {
  test("a fresh install leads to owner setup, validates input, and signs the owner in", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
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
    expect(queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "User"`)?.n).toBe(0);

    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
    await page.getByLabel("Confirm password").fill(OWNER.password);
    await page.getByRole("button", { name: "Create owner account" }).click();
    await page.waitForURL("**/overview");
    await expect(page.getByText(`Security overview of ${OWNER.org}.`)).toBeVisible();

    expect(auditCount("organization.created")).toBe(1);
    expect(auditCount("user.sign_in", `"outcome" = 'success'`)).toBe(1);
    const user = queryOne<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE "email" = ?`, OWNER.email);
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  test("setup is closed once an owner exists", async ({ page }) => {
    await page.goto("/setup");
    await expect(page).toHaveURL(/\/sign-in$/);
  });
});
