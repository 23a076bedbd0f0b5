import { expect, test, type Request } from "@playwright/test";
import { OWNER, auditCount, baseURL, queryOne, signIn, signedInPage } from "../fixtures/app";
import { confirmSudoWithPassword } from "../fixtures/two-factor";

const MEMBER = { name: "Mark Member", email: "mark@acme.test", password: "another long passphrase" };

const roleOf = async (email: string) =>
  (await queryOne<{ role: string }>(`SELECT m.role FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`, email))?.role;

test.describe.serial("invitations and roles", () => {
  test("an owner invites someone with a one-time link they use to join", async ({ page, browser }) => {
    // Other specs invite people into the same organization: count this test's events only.
    const createdBefore = await auditCount("invitation.created");
    const acceptedBefore = await auditCount("invitation.accepted");
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/members");
    await page.getByLabel("Email").fill("not an email");
    await page.getByRole("button", { name: "Create invitation" }).click();
    // Inviting hands out a role: sudo first, then the retried request is validated.
    await confirmSudoWithPassword(page, OWNER.password);
    await expect(page.getByText("Enter a valid email address.")).toBeVisible();

    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Role", { exact: true }).selectOption("member");
    await page.getByRole("button", { name: "Create invitation" }).click();
    const link = await page.getByTestId("invitation-link").inputValue();
    expect(link).toMatch(new RegExp(`^${baseURL()}/invite/[A-Za-z0-9_-]{43}$`));
    expect(await auditCount("invitation.created")).toBe(createdBefore + 1);
    await expect(page.getByRole("list", { name: "Open invitations" })).toContainText(MEMBER.email);

    const invitee = await browser.newContext();
    const invitePage = await invitee.newPage();
    await invitePage.goto(link);
    await expect(invitePage.getByRole("heading", { name: `Join ${OWNER.org}` })).toBeVisible();
    await invitePage.getByLabel("Your name").fill(MEMBER.name);
    await invitePage.getByLabel("Choose a password").fill(MEMBER.password);
    await invitePage.getByLabel("Confirm password").fill(MEMBER.password);
    await invitePage.getByRole("button", { name: "Create account and join" }).click();
    await invitePage.waitForURL("**/overview");
    await expect(invitePage.getByText("Your role:")).toContainText("Member");
    expect(await auditCount("invitation.accepted")).toBe(acceptedBefore + 1);
    expect((await roleOf(MEMBER.email))).toBe("member");

    // The link works once.
    const again = await browser.newContext();
    const againPage = await again.newPage();
    await againPage.goto(link);
    await expect(againPage.getByRole("heading", { name: "This invitation is not valid" })).toBeVisible();
    await Promise.all([invitee.close(), again.close()]);
  });

  test("an owner changes a member's role; the member sees it on their next request", async ({ page, browser }) => {
    const member = await signedInPage(browser, MEMBER.email, MEMBER.password);
    await expect(member.page.getByText("Your role:")).toContainText("Member");
    const changesBefore = await auditCount("member.role_changed");
    const withGrantBefore = await auditCount("member.role_changed", `"sudoGrantId" IS NOT NULL`);

    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/members");
    await page.getByLabel(`Role for ${MEMBER.email}`).selectOption("auditor");
    await page.getByTestId(`member-${MEMBER.email}`).getByRole("button", { name: "Save" }).click();
    // Role changes are sensitive: a fresh session is asked to confirm, then the change is retried.
    await confirmSudoWithPassword(page, OWNER.password);
    await expect(page.getByTestId(`member-${MEMBER.email}`).getByRole("status")).toHaveText("Role updated.");
    expect((await roleOf(MEMBER.email))).toBe("auditor");
    expect(await auditCount("member.role_changed")).toBe(changesBefore + 1);
    expect(await auditCount("member.role_changed", `"sudoGrantId" IS NOT NULL`)).toBe(withGrantBefore + 1);

    await member.page.reload();
    await expect(member.page.getByText("Your role:")).toContainText("Auditor");
    await member.page.goto("/audit");
    await expect(member.page.getByRole("table")).toContainText("member.role_changed");
    await member.context.close();
  });

  test("the last owner cannot be demoted: the page says why, and a direct call is refused", async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/members");
    // No controls that could only ever be refused; the reason instead.
    const own = page.getByTestId(`member-${OWNER.email}`);
    await expect(own).toContainText("You are the only owner. Make someone else an owner before changing your role or leaving.");
    await expect(page.getByLabel(`Role for ${OWNER.email}`)).toHaveCount(0);
    await expect(own.getByRole("button")).toHaveCount(0);

    // The server still refuses: take a real role-change request and point it at the owner's own membership.
    const captured = new Promise<Request>((resolve) => page.on("request", (r) => r.headers()["next-action"] && resolve(r)));
    await page.getByTestId(`member-${MEMBER.email}`).getByRole("button", { name: "Save" }).click();
    const request = await captured;
    await confirmSudoWithPassword(page, OWNER.password);
    await expect(page.getByTestId(`member-${MEMBER.email}`).getByRole("status")).toHaveText("Role updated.");
    const ownMembership = (await queryOne<{ id: string }>(`SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`, OWNER.email))?.id;
    const memberMembership = (await queryOne<{ id: string }>(`SELECT m.id FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = ?`, MEMBER.email))?.id;
    expect(ownMembership && memberMembership).toBeTruthy();
    const body = (request.postDataBuffer() ?? Buffer.alloc(0))
      .toString("utf8")
      .replace(String(memberMembership), String(ownMembership))
      .replace(/"?auditor"?(?=\r\n--)/, "admin");
    expect(body).toContain(String(ownMembership));
    const response = await page.request.post(`${baseURL()}/members`, {
      headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"], accept: "text/x-component", origin: baseURL() },
      data: body,
    });
    expect(await response.text()).toContain("last_owner");
    expect(await roleOf(OWNER.email)).toBe("owner");
  });

  test("a member replaying the owner's role-change request by direct call is refused", async ({ page, browser }) => {
    // Back to plain member, then capture a real role-change request made by the owner.
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/members");
    await page.getByLabel(`Role for ${MEMBER.email}`).selectOption("member");
    const captured = new Promise<Request>((resolve) => page.on("request", (r) => r.headers()["next-action"] && resolve(r)));
    await page.getByTestId(`member-${MEMBER.email}`).getByRole("button", { name: "Save" }).click();
    const request = await captured;
    await confirmSudoWithPassword(page, OWNER.password);
    await expect(page.getByTestId(`member-${MEMBER.email}`).getByRole("status")).toHaveText("Role updated.");
    expect((await roleOf(MEMBER.email))).toBe("member");

    // The owner's request asked for "member"; the attacker rewrites it to promote themselves to admin.
    const body = (request.postDataBuffer() ?? Buffer.alloc(0)).toString("utf8").replace(/"?member"?(?=\r\n--)/, "admin");
    expect(body).toContain("admin");
    const events = await auditCount("member.role_changed");

    const member = await signedInPage(browser, MEMBER.email, MEMBER.password);
    const response = await member.page.request.post(`${baseURL()}/members`, {
      headers: {
        "next-action": request.headers()["next-action"],
        "content-type": request.headers()["content-type"],
        accept: "text/x-component",
        origin: baseURL(),
      },
      data: body,
    });
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain("forbidden");
    expect((await roleOf(MEMBER.email))).toBe("member");
    expect(await auditCount("member.role_changed")).toBe(events);
    await member.context.close();
  });

  test("an owner removes a member, whose session then loses the organization", async ({ page, browser }) => {
    const member = await signedInPage(browser, MEMBER.email, MEMBER.password);
    const removedBefore = await auditCount("member.removed");
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto("/members");
    const row = page.getByTestId(`member-${MEMBER.email}`);
    await row.getByRole("button", { name: `Remove ${MEMBER.email}` }).click();
    await row.getByRole("button", { name: "Confirm removal" }).click();
    await confirmSudoWithPassword(page, OWNER.password);
    await expect(page.getByTestId(`member-${MEMBER.email}`)).toHaveCount(0);
    expect((await roleOf(MEMBER.email))).toBeUndefined();
    expect(await auditCount("member.removed")).toBe(removedBefore + 1);

    await member.page.goto("/overview");
    await expect(member.page).toHaveURL(/\/no-organization$/);
    await member.context.close();
  });

  test("before the page's script runs, the invite form cannot put what was typed in a URL", async ({ browser }) => {
    const signedIn = await browser.newContext();
    await signIn(await signedIn.newPage(), OWNER.email, OWNER.password);
    // The same session, without JavaScript: the server-rendered form is all there is.
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn.storageState() });
    const page = await context.newPage();
    await page.goto("/members");
    const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create invitation" }) });
    await expect(form).toHaveAttribute("method", "post");
    await expect(form.getByLabel("Email")).toBeDisabled();
    await expect(form.getByRole("button", { name: "Create invitation" })).toBeDisabled();
    expect(page.url()).not.toContain("?");
    await context.close();
    await signedIn.close();
  });
});
