import { expect, test, type Page } from "@playwright/test";
import { OWNER, signIn } from "../fixtures/app";
import { inviteUser, type TestUser } from "../fixtures/people";
import { confirmSudoWithPassword, sudoDialog } from "../fixtures/two-factor";

// A row offers only what the viewer can actually do; where that is nothing, it says why.
const ADA: TestUser = { name: "Ada Admin", email: "ada@acme.test", password: "admins manage members, not owners" };
const SOLE_OWNER = "You are the only owner. Make someone else an owner before changing your role or leaving.";
const OWNERS_ONLY = "Only an owner can change an owner's role or remove them.";

const row = (page: Page, email: string) => page.getByTestId(`member-${email}`);

async function changeRole(page: Page, email: string, role: string) {
  await page.getByLabel(`Role for ${email}`).selectOption(role);
  await row(page, email).getByRole("button", { name: "Save" }).click();
  // The first change of a fresh session asks to confirm it's you; later ones run in sudo mode.
  const done = row(page, email).getByRole("status");
  await expect(sudoDialog(page).or(done)).toBeVisible();
  if (await sudoDialog(page).isVisible()) await confirmSudoWithPassword(page, OWNER.password);
  await expect(done).toHaveText("Role updated.");
}

test.describe.serial("member rows without dead controls", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(120_000);
    await inviteUser(browser, ADA, "admin");
  });

  test("an admin sees why an owner's row cannot be changed, and keeps the controls they can use", async ({ page }) => {
    await signIn(page, ADA.email, ADA.password);
    await page.goto("/members");
    const owner = row(page, OWNER.email);
    await expect(owner).toContainText("Owner");
    await expect(owner).toContainText(OWNERS_ONLY);
    await expect(page.getByLabel(`Role for ${OWNER.email}`)).toHaveCount(0);
    await expect(owner.getByRole("button")).toHaveCount(0);

    const own = row(page, ADA.email);
    await expect(page.getByLabel(`Role for ${ADA.email}`)).toHaveValue("admin");
    await expect(own.getByRole("button", { name: "Save" })).toBeEnabled();
    await expect(own.getByTestId("member-locked-reason")).toHaveCount(0);
  });

  test("the sole owner's row explains itself until there is a second owner", async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/members");
    await expect(row(page, OWNER.email)).toContainText(SOLE_OWNER);
    await expect(page.getByLabel(`Role for ${OWNER.email}`)).toHaveCount(0);
    await expect(row(page, OWNER.email).getByRole("button")).toHaveCount(0);

    // With a second owner the same row can be changed (or left), so the controls come back.
    await changeRole(page, ADA.email, "owner");
    await page.reload();
    await expect(page.getByLabel(`Role for ${OWNER.email}`)).toHaveValue("owner");
    await expect(row(page, OWNER.email).getByRole("button", { name: `Remove ${OWNER.email}` })).toBeVisible();
    await expect(row(page, OWNER.email).getByTestId("member-locked-reason")).toHaveCount(0);

    // Back to one owner: Ada is an admin again and the explanation returns.
    await changeRole(page, ADA.email, "admin");
    await page.reload();
    await expect(row(page, OWNER.email)).toContainText(SOLE_OWNER);
    await expect(page.getByLabel(`Role for ${OWNER.email}`)).toHaveCount(0);
  });
});
