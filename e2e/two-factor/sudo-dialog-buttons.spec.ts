import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../fixtures/app";
import { inviteUser, type TestUser } from "../fixtures/people";
import { confirmSudoWithCode, enrolTotp, field, sudoDialog } from "../fixtures/two-factor";

// A sensitive action refused for want of sudo is over: while the dialog asks to
// confirm it's you, the button that started it reads as it did before the click.
const RAY: TestUser = { name: "Ray Regenerate", email: "ray@acme.test", password: "buttons should not look busy" };

const card = (page: Page, title: string) => page.locator("section").filter({ has: page.getByRole("heading", { name: title, exact: true }) });

/** The card's button whichever label it shows (the page behind a modal dialog is inert, so match by text, not role). */
const button = (page: Page, title: string, labels: RegExp) => card(page, title).locator("button").filter({ hasText: labels });

async function cancelDialog(page: Page) {
  await sudoDialog(page).getByRole("button", { name: "Cancel" }).click();
  await expect(sudoDialog(page)).toBeHidden();
}

test.describe.serial("buttons under the sudo dialog", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    await inviteUser(browser, RAY);
  });

  test("regenerate recovery codes, change password and turn off the app stay idle while sudo is asked for", async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, RAY.email, RAY.password);
    const enrolment = await enrolTotp(page, RAY.password);
    // Enrolling opened sudo; leave it so the next sensitive action is refused.
    await page.getByTestId("sudo-indicator").getByRole("button", { name: "Exit sudo" }).click();
    await expect(page.getByTestId("sudo-indicator")).toHaveCount(0);
    await page.reload();

    // A button driven by the action's own transition.
    const regenerate = button(page, "Recovery codes", /Regenerate codes|Generating…/);
    await regenerate.click();
    await expect(sudoDialog(page)).toBeVisible();
    await expect(regenerate).toHaveText("Regenerate codes");
    await cancelDialog(page);
    await expect(card(page, "Recovery codes").getByText("Cancelled: this action needs you to confirm it's you.")).toBeVisible();

    // A form's submit button (its form is still submitting while the dialog waits).
    const password = card(page, "Password");
    await field(password, "New password").fill("a brand new passphrase here");
    await field(password, "Confirm new password").fill("a brand new passphrase here");
    const change = button(page, "Password", /Change password|Changing…/);
    await change.click();
    await expect(sudoDialog(page)).toBeVisible();
    await expect(change).toHaveText("Change password");
    await expect(change).toBeEnabled();
    await cancelDialog(page);

    // A factor check that needs sudo first.
    await card(page, "Authenticator app").getByRole("button", { name: "Turn off authenticator app" }).click();
    await field(card(page, "Authenticator app"), "6-digit code").fill("123456");
    const turnOff = button(page, "Authenticator app", /^(Turn off|Checking…)$/);
    await turnOff.click();
    await expect(sudoDialog(page)).toBeVisible();
    await expect(turnOff).toHaveText("Turn off");
    await cancelDialog(page);

    // Confirming still retries the refused action, busy again only while it runs.
    await regenerate.click();
    // Ray has an authenticator app now: sudo takes its code, not the password.
    await confirmSudoWithCode(page, enrolment);
    await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  });
});
