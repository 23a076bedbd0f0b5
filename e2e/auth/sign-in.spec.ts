import { expect, test } from "@playwright/test";
import { OWNER, auditCount, execSql, queryOne, signIn } from "../fixtures/app";

test.describe("sign-in and sessions", () => {
  test("before the page's script runs, the form cannot send the password in a URL", async ({ browser }) => {
    // Without JavaScript the form is the browser's own: it must post, and its buttons wait for the script.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/sign-in");
    await expect(page.locator("form")).toHaveAttribute("method", "post");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeDisabled();
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByLabel("Password").press("Enter");
    await page.waitForTimeout(500);
    expect(page.url()).not.toContain("password");
    await context.close();
  });

  test("signs in, and the JWT cookie carries only a session id", async ({ page, context }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const cookie = (await context.cookies()).find((c) => c.name === "gatehouse.session");
    expect(cookie).toBeDefined();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    // The cookie is an encrypted next-auth JWT; the row it points at is the truth.
    const sessions = await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE u.email = ?`, OWNER.email);
    expect(sessions?.n).toBeGreaterThanOrEqual(1);
    await expect(page.getByText("Headless Chrome on Linux")).toBeVisible();
  });

  test("a wrong password and an unknown email get the same generic error", async ({ page }) => {
    const before = await auditCount("user.sign_in", `"outcome" = 'failure'`);
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error").getByRole("alert")).toHaveText("The email or password is not correct.");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Email").fill("nobody@acme.test");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error").getByRole("alert")).toHaveText("The email or password is not correct.");
    expect(await auditCount("user.sign_in", `"outcome" = 'failure'`)).toBe(before + 2);
    // Clear the account's failure counter so later tests are not locked out.
    await execSql(`DELETE FROM "RateLimitBucket"`);
  });

  test("sign-out deletes the session row and leaves the console", async ({ page, context }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const count = async () => (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "Session"`))?.n ?? 0;
    const before = (await count());
    const signOuts = await auditCount("user.sign_out");
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in");
    expect((await count())).toBe(before - 1);
    expect(await auditCount("user.sign_out")).toBe(signOuts + 1);
    expect((await context.cookies()).find((c) => c.name === "gatehouse.session")).toBeUndefined();
    await page.goto("/overview");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("deleting the session row signs the browser out on its next request", async ({ page, context }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const cookieBefore = (await context.cookies()).find((c) => c.name === "gatehouse.session");
    expect(cookieBefore).toBeDefined();
    // Revoke every session of the owner behind the browser's back.
    await execSql(`DELETE FROM "Session" WHERE "userId" = (SELECT id FROM "User" WHERE email = ?)`, OWNER.email);
    await page.goto("/members");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("heading", { name: "Sign in to Gatehouse" })).toBeVisible();
  });

  test("an expired session is refused and removed", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    await execSql(`UPDATE "Session" SET "expiresAt" = ? WHERE "userId" = (SELECT id FROM "User" WHERE email = ?)`, new Date(Date.now() - 1000).toISOString(), OWNER.email);
    await page.goto("/overview");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("sign-in only follows same-site callback URLs", async ({ page }) => {
    await page.goto("/sign-in?callbackUrl=//evil.example/phish");
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill(OWNER.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL("**/overview");
  });
});
