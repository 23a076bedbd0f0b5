import { expect, test } from "@playwright/test";
import { signIn } from "../fixtures/app";
import { forgetSessions, inviteUser, signedInElsewhere, FIREFOX_ON_WINDOWS, type TestUser } from "../fixtures/people";

const CORA: TestUser = { name: "Cora Current", email: "cora@acme.test", password: "this browser comes first" };

test.describe("the sessions page", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    await inviteUser(browser, CORA);
    await forgetSessions(CORA.email);
  });

  test("lists this browser's session first, even when another was used more recently", async ({ page, browser }) => {
    await signIn(page, CORA.email, CORA.password);
    // Signed in later, so it is the most recently seen (last-seen writes are throttled to once a minute).
    const other = await signedInElsewhere(browser, CORA, FIREFOX_ON_WINDOWS);
    await page.goto("/sessions");
    const items = page.getByRole("list", { name: "Your sessions" }).getByRole("listitem");
    await expect(items).toHaveCount(2);
    await expect(items.first()).toHaveAttribute("data-testid", "current-session");
    await expect(items.first()).toContainText("This session");
    await expect(items.nth(1)).toContainText("Firefox on Windows");
    await other.context.close();
  });
});
