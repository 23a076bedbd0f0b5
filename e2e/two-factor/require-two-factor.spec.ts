import { expect, test, type Page } from "@playwright/test";
import { queryOne, signIn } from "../fixtures/app";
import { inviteUser, makeOwnerOfNewOrganization, newestSession, type TestUser } from "../fixtures/people";
import { confirmSudoWithCode, confirmSudoWithPassword, enrolTotp, field, submitPassword, sudoDialog } from "../fixtures/two-factor";

// A separate organization, so turning the policy on cannot lock Acme's owner (who has no 2FA) out of other spec files.
const ORG = "Beacon Labs";
const PAT: TestUser = { name: "Pat Policy", email: "pat@beacon.test", password: "owners set the policy here" };
const MO: TestUser = { name: "Mo Member", email: "mo@beacon.test", password: "members follow the policy" };

// SQLite answers a boolean column with 0/1, PostgreSQL with false/true.
const required = async (orgId: string) => Boolean((await queryOne<{ require2fa: number | boolean }>(`SELECT require2fa FROM "Organization" WHERE id = ?`, orgId))?.require2fa);
const policyCard = (page: Page) => page.locator("section").filter({ has: page.getByRole("heading", { name: "Organization policy", exact: true }) });

test.describe.serial("organization 2FA policy", () => {
  let orgId: string;

  test.beforeAll(async ({ browser }) => {
    // Pat joins through an invitation, becomes owner of a second organization (database step,
    // there is no UI to create one), and invites Mo there through the UI.
    await inviteUser(browser, PAT);
    orgId = await makeOwnerOfNewOrganization(PAT.email, ORG);
    await inviteUser(browser, MO, "member", PAT);
  });

  test("an owner turns the policy on behind sudo, only once they use 2FA themselves", async ({ page }) => {
    test.setTimeout(90_000);
    await signIn(page, PAT.email, PAT.password);
    await page.goto("/security");
    const policy = policyCard(page);
    const box = policy.getByRole("checkbox", { name: /Require two-factor authentication for everyone/ });
    await expect(box).not.toBeChecked();

    // Without a second factor of their own, the owner cannot require one from everyone.
    await box.check();
    await policy.getByRole("button", { name: "Save policy" }).click();
    await confirmSudoWithPassword(page, PAT.password);
    await expect(policy.getByRole("alert")).toContainText("Turn on two-factor authentication for your own account first.");
    expect(await required(orgId)).toBe(false);

    const enrolment = await enrolTotp(page, PAT.password);

    // Leave sudo so the policy change has to ask for it again.
    await page.getByRole("status").filter({ hasText: "Sudo mode" }).getByRole("button", { name: "Exit sudo" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Sudo mode" })).toHaveCount(0);
    await page.reload();
    await policy.getByRole("checkbox", { name: /Require two-factor authentication for everyone/ }).check();
    await policy.getByRole("button", { name: "Save policy" }).click();
    await expect(field(sudoDialog(page), "6-digit code")).toBeVisible();
    await confirmSudoWithCode(page, enrolment);
    await expect(policy.getByRole("status")).toContainText("Two-factor authentication is now required for everyone.");
    expect(await required(orgId)).toBe(true);
    const changed = await queryOne<{ sudoGrantId: string | null }>(
      `SELECT "sudoGrantId" FROM "AuditEvent" WHERE action = 'organization.two_factor_policy_changed' AND "organizationId" = ? ORDER BY seq DESC LIMIT 1`,
      orgId,
    );
    expect(changed?.sudoGrantId).toBeTruthy();
    await page.reload();
    await expect(policy.getByRole("checkbox", { name: /Require two-factor authentication for everyone/ })).toBeChecked();
  });

  test("a member without 2FA is sent to enrol after sign-in and kept there until they do", async ({ page }) => {
    test.setTimeout(90_000);
    await submitPassword(page, MO.email, MO.password);
    await page.waitForURL(/\/security\?enroll=required$/);
    // Signing in itself worked: the session is trusted, only the rest of the console is closed.
    expect((await newestSession(MO.email)).trustState).toBe("trusted");
    await expect(page.getByRole("status").or(page.getByRole("alert")).filter({ hasText: `${ORG} requires two-factor authentication` })).toBeVisible();

    for (const path of ["/overview", "/members", "/sessions", "/audit", "/settings"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/security\?enroll=required$/);
    }
    // Pages cannot be reached through client-side navigation either.
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
    await expect(page).toHaveURL(/\/security\?enroll=required$/);

    await enrolTotp(page, MO.password);
    await page.goto("/overview");
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    await page.goto("/security?enroll=required");
    await expect(page.getByText(`${ORG} requires two-factor authentication`)).toHaveCount(0);
  });
});
