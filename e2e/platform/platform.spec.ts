import { expect, test } from "@playwright/test";
import { auditCount, queryOne, signIn } from "../fixtures/app";
import { inviteUser } from "../fixtures/people";
import { recordActions, replay } from "../fixtures/actions";

const ADMIN = { name: "Ada Admin", email: "ada.platform@acme.test", password: "a long admin passphrase" };
const AUDITOR = { name: "Aud Itor", email: "aud.platform@acme.test", password: "a long auditor passphrase" };

test.describe.serial("platform resources in the console", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    await inviteUser(browser, ADMIN, "admin");
    await inviteUser(browser, AUDITOR, "auditor");
  });

  test("an admin creates, edits and deletes a prop, and each change is in the audit log", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.getByRole("navigation").getByRole("link", { name: "Platform" }).first().click();
    await expect(page.getByRole("heading", { level: 1, name: "Platform" })).toBeVisible();
    // A type no other spec uses shows its empty state (props may exist: the suite shares one database).
    await page.getByTestId("type-mutters").click();
    await expect(page.getByRole("heading", { level: 1, name: "Mutters" })).toBeVisible();
    await expect(page.getByText("No mutters yet")).toBeVisible();
    // The empty state says which scopes reach the type through the API.
    await expect(page.getByText("mutters:read")).toBeVisible();
    await page.goto("/platform");
    await page.getByTestId("type-props").click();
    await expect(page.getByRole("heading", { level: 1, name: "Props" })).toBeVisible();

    // Create, keyboard only: the form opens with the name focused; a bad URL is reported next to its field.
    await page.getByRole("button", { name: "New prop" }).click();
    await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
    await page.keyboard.type("console-app");
    await page.keyboard.press("Tab");
    await page.keyboard.type("not a url");
    await page.getByRole("button", { name: "Create prop" }).click();
    const url = page.getByLabel(/Repository URL/);
    await expect(url).toHaveAttribute("aria-invalid", "true");
    const describedBy = (await url.getAttribute("aria-describedby")) ?? "";
    await expect(page.locator(`[id="${describedBy.split(" ").pop()}"]`)).toContainText("Enter the repository's https://, ssh:// or git:// URL.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("console-app");
    await url.fill("https://git.example.com/acme/web.git");
    await url.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "Created console-app." })).toBeVisible();
    const row = page.getByTestId("resource-console-app");
    await expect(row).toContainText("https://git.example.com/acme/web.git");
    await expect(row).toContainText("main");

    // A second prop with the same name is a conflict shown on the name.
    await page.getByRole("button", { name: "New prop" }).click();
    await page.getByLabel("Name", { exact: true }).fill("console-app");
    await page.getByRole("button", { name: "Create prop" }).click();
    await expect(page.getByText("Another prop already has this name.")).toBeVisible();
    await page.getByRole("button", { name: "Cancel" }).click();

    // Edit.
    await row.getByRole("button", { name: "Edit console-app" }).click();
    await row.getByLabel(/Default branch/).fill("trunk");
    await row.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved console-app." })).toBeVisible();
    await expect(page.getByTestId("resource-console-app")).toContainText("trunk");

    // Delete asks first.
    await page.getByTestId("resource-console-app").getByRole("button", { name: "Delete console-app" }).click();
    await expect(page.getByText("Delete prop console-app?")).toBeVisible();
    await page.getByRole("button", { name: "Delete console-app", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "Deleted console-app." })).toBeVisible();
    await expect(page.getByTestId("resource-console-app")).toHaveCount(0);

    const admin = await queryOne<{ id: string }>(`SELECT id FROM "User" WHERE email = ?`, ADMIN.email);
    for (const action of ["prop.created", "prop.updated", "prop.deleted"]) {
      expect(await auditCount(action, `"actorType" = 'user' AND "actorId" = ? AND "resourceLabel" = 'console-app'`, admin?.id)).toBe(1);
    }
    const updated = await queryOne<{ metadata: string }>(`SELECT metadata FROM "AuditEvent" WHERE action = 'prop.updated' AND "resourceLabel" = 'console-app'`);
    expect(JSON.parse(updated?.metadata ?? "{}")).toMatchObject({ changed: "default_branch" });

    await page.goto("/audit");
    for (const label of ["Prop created", "Prop updated", "Prop deleted"]) await expect(page.getByTestId("audit-event").getByText(label).first()).toBeVisible();
  });

  test("an auditor reads platform resources, gets no create button and is told why", async ({ page, browser }) => {
    // Something to read.
    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await signIn(adminPage, ADMIN.email, ADMIN.password);
    const calls = recordActions(adminPage);
    await adminPage.goto("/platform/marquees");
    await adminPage.getByRole("button", { name: "New marquee" }).click();
    await adminPage.getByLabel("Name", { exact: true }).fill("runner-1");
    await adminPage.getByLabel(/Host name/).fill("runner-1.example.com");
    await adminPage.getByRole("button", { name: "Create marquee" }).click();
    await expect(adminPage.getByTestId("resource-runner-1")).toBeVisible();
    await admin.close();

    await signIn(page, AUDITOR.email, AUDITOR.password);
    await page.goto("/platform");
    await expect(page.getByTestId("type-marquees")).toContainText("1");
    await page.goto("/platform/marquees");
    await expect(page.getByTestId("resource-runner-1")).toContainText("runner-1.example.com");
    await expect(page.getByRole("button", { name: "New marquee" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Edit|Delete/ })).toHaveCount(0);
    await expect(page.getByTestId("read-only-reason")).toHaveText("Your role (Auditor) can read marquees but not change them. Owners, admins and members can.");

    // The admin's create request, replayed by the auditor's browser as a script would: refused, nothing created.
    const create = calls.find((c) => c.body.toString("latin1").includes("runner-1.example.com"));
    expect(create).toBeDefined();
    const answer = await replay(page, create!, create!.body.toString("latin1").replaceAll("runner-1", "runner-2"));
    expect(answer).toContain('"code":"forbidden"');
    expect(await queryOne(`SELECT id FROM "PlatformResource" WHERE name = 'runner-2'`)).toBeUndefined();
  });
});
