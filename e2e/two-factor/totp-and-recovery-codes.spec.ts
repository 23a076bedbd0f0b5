import { expect, test, type Page } from "@playwright/test";
import { deriveKey, recoveryCodeHashWith } from "@/lib/crypto/derive-key";
import { readFileSync } from "node:fs";
import { auditCount, execSql, queryAll, queryOne, signIn } from "../fixtures/app";
import { forgetSessions, inviteUser, newestSession, userId, type TestUser } from "../fixtures/people";
import { nextFreshCode } from "../fixtures/totp";
import { chooseMethod, confirmSudoWithCode, confirmSudoWithPassword, field, signInToChallenge, signOut, sudoDialog, type TotpEnrolment } from "../fixtures/two-factor";

const TESS: TestUser = { name: "Tess Totp", email: "tess@acme.test", password: "time based one time passphrase" };
const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

const card = (page: Page, title: string) => page.locator("section").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
const unusedCodes = async () => (await queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM "RecoveryCode" WHERE "userId" = ? AND "usedAt" IS NULL`, await userId(TESS.email)))?.n;

test.describe.serial("authenticator app and recovery codes", () => {
  // Shared by the tests below: what Tess's authenticator app and her saved codes know.
  let enrolment: TotpEnrolment;

  test.beforeAll(async ({ browser }) => {
    await inviteUser(browser, TESS);
  });
  test.beforeEach(async () => await forgetSessions(TESS.email));

  test("enrols an authenticator app behind sudo, shows 10 recovery codes once, and sign-in then asks for a code", async ({ page, context }) => {
    test.setTimeout(120_000);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await signIn(page, TESS.email, TESS.password);
    await page.goto("/security");
    const totp = card(page, "Authenticator app");
    await expect(totp.getByText("Off", { exact: true })).toBeVisible();

    // Sensitive: the sudo dialog comes first (Tess has only her password).
    await totp.getByRole("button", { name: "Set up authenticator app" }).click();
    await expect(sudoDialog(page)).toBeVisible();
    await expect(sudoDialog(page).getByRole("radio", { name: "Authenticator app" })).toHaveCount(0);
    await confirmSudoWithPassword(page, TESS.password);

    await expect(totp.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
    const secret = (await totp.getByTestId("totp-secret").innerText()).replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const credential = async () =>
      await queryOne<{ enabledAt: string | null; secretCiphertext: string }>(`SELECT "enabledAt", "secretCiphertext" FROM "TotpCredential" WHERE "userId" = ?`, await userId(TESS.email));
    expect((await credential())?.enabledAt).toBeNull();
    expect((await credential())?.secretCiphertext).not.toContain(secret);

    // A wrong code does not enable it.
    const usedSteps: number[] = [];
    const right = await nextFreshCode(secret, usedSteps);
    await field(totp, "6-digit code").fill(right === "000000" ? "111111" : "000000");
    await totp.getByRole("button", { name: "Enable authenticator app" }).click();
    await expect(totp.getByText(/not correct/)).toBeVisible();
    expect((await credential())?.enabledAt).toBeNull();

    await field(totp, "6-digit code").fill(right);
    await totp.getByRole("button", { name: "Enable authenticator app" }).click();
    const list = page.getByTestId("recovery-codes");
    await expect(list.getByRole("listitem")).toHaveCount(10);
    const codes = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE);
    expect(new Set(codes).size).toBe(10);
    expect((await credential())?.enabledAt).not.toBeNull();
    expect(await auditCount("two_factor.totp_enabled", `"actorId" = ?`, await userId(TESS.email))).toBe(1);

    // Stored as hashes only.
    const stored = await queryAll<{ codeHash: string }>(`SELECT "codeHash" FROM "RecoveryCode" WHERE "userId" = ?`, await userId(TESS.email));
    expect(stored).toHaveLength(10);
    for (const { codeHash } of stored) expect(codes).not.toContain(codeHash);

    // Copy, download and print.
    await page.getByRole("button", { name: "Copy codes" }).click();
    await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join("\n"));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .txt" }).click()]);
    expect(download.suggestedFilename()).toBe("gatehouse-recovery-codes.txt");
    const text = readFileSync(await download.path(), "utf8");
    for (const code of codes) expect(text).toContain(code);
    await expect(page.getByRole("button", { name: "Print" })).toBeVisible();

    // Shown once: after confirming, and after a reload, the codes are gone.
    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    await expect(list).toHaveCount(0);
    await expect(totp.getByText("On", { exact: true })).toBeVisible();
    await expect(totp.getByRole("button", { name: "Turn off authenticator app" })).toBeVisible();
    await expect(page.getByTestId("recovery-remaining")).toHaveText("10 of 10 remaining");
    await page.reload();
    await expect(page.getByTestId("recovery-codes")).toHaveCount(0);
    await expect(page.getByText(codes[0])).toHaveCount(0);
    enrolment = { secret, recoveryCodes: codes, usedSteps };

    // From now on the password alone only reaches the challenge.
    await signOut(page);
    await signInToChallenge(page, TESS.email, TESS.password);
    const pending = await newestSession(TESS.email);
    expect(pending.trustState).toBe("pending_second_factor");
    for (const path of ["/overview", "/members", "/security", "/sessions"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/two-factor$/);
    }
    await expect(page.getByRole("radio", { name: "Authenticator app" })).toBeChecked();
    await expect(page.getByRole("radio", { name: "Recovery code" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "Security key" })).toHaveCount(0);

    // The code that enabled the app belongs to a spent time step: refused.
    await field(page, "6-digit code").fill(right);
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "already used" }).first()).toBeVisible();
    await expect(page).toHaveURL(/\/two-factor$/);
    expect((await newestSession(TESS.email)).trustState).toBe("pending_second_factor");

    // The next code from the app completes sign-in.
    await field(page, "6-digit code").fill(await nextFreshCode(secret, usedSteps));
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/overview");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Welcome");
    expect(await newestSession(TESS.email)).toMatchObject({ id: pending.id, trustState: "trusted", trustFactor: "totp" });
    expect(await auditCount("session.second_factor_verified", `"resourceId" = ?`, pending.publicId)).toBe(1);
  });

  test("a recovery code completes sign-in once; the remaining count drops and a reused code is refused", async ({ page }) => {
    test.setTimeout(90_000);
    await signInToChallenge(page, TESS.email, TESS.password);
    await chooseMethod(page, "Recovery code");
    await field(page, "Recovery code").fill(enrolment.recoveryCodes[0]);
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/overview");
    expect(await newestSession(TESS.email)).toMatchObject({ trustState: "trusted", trustFactor: "recovery_code" });
    expect((await unusedCodes())).toBe(9);
    await page.goto("/security");
    await expect(page.getByTestId("recovery-remaining")).toHaveText("9 of 10 remaining");

    // The same code a second time: refused, the session stays pending.
    await signOut(page);
    await signInToChallenge(page, TESS.email, TESS.password);
    await chooseMethod(page, "Recovery code");
    await field(page, "Recovery code").fill(enrolment.recoveryCodes[0]);
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That recovery code is not valid or was already used." }).first()).toBeVisible();
    await expect(page).toHaveURL(/\/two-factor$/);
    expect((await newestSession(TESS.email)).trustState).toBe("pending_second_factor");
    expect((await unusedCodes())).toBe(9);

    // Another code works, typed the way people type (upper case, no dash).
    await field(page, "Recovery code").fill(enrolment.recoveryCodes[1].replace("-", "").toUpperCase());
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/overview");
    await page.goto("/security");
    await expect(page.getByTestId("recovery-remaining")).toHaveText("8 of 10 remaining");
  });

  test("with two or fewer codes left the page warns; regenerating (sudo) replaces the whole set", async ({ page }) => {
    test.setTimeout(90_000);
    // Spend six more codes behind the scenes (as if used on other sign-ins); keep codes[8] and codes[9].
    // Codes are stored as HMACs under a key derived from the master key, which the test knows.
    const tessId = await userId(TESS.email);
    const hashOf = (code: string) => recoveryCodeHashWith(deriveKey(Buffer.from(process.env.E2E_MASTER_KEY ?? "", "base64"), "recovery-code"), tessId, code);
    const [keep, alsoKeep] = [enrolment.recoveryCodes[8], enrolment.recoveryCodes[9]];
    const spent = await execSql(
      `UPDATE "RecoveryCode" SET "usedAt" = ? WHERE "userId" = ? AND "usedAt" IS NULL AND "codeHash" NOT IN (?, ?)`,
      new Date(),
      tessId,
      hashOf(keep),
      hashOf(alsoKeep),
    );
    expect(spent).toBe(6);
    expect((await unusedCodes())).toBe(2);
    const neverUsed = keep;

    await signInToChallenge(page, TESS.email, TESS.password);
    await chooseMethod(page, "Authenticator app");
    await field(page, "6-digit code").fill(await nextFreshCode(enrolment.secret, enrolment.usedSteps));
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/overview");
    await page.goto("/security");
    const recovery = card(page, "Recovery codes");
    await expect(recovery.getByTestId("recovery-remaining")).toHaveText("2 of 10 remaining");
    await expect(recovery.getByRole("status").or(recovery.getByRole("alert")).filter({ hasText: "Few recovery codes left" })).toBeVisible();

    await recovery.getByRole("button", { name: "Regenerate codes" }).click();
    await expect(field(sudoDialog(page), "6-digit code")).toBeVisible();
    // With an authenticator app, sudo takes its code; the password is not offered.
    await expect(field(sudoDialog(page), "Password")).toHaveCount(0);
    await confirmSudoWithCode(page, enrolment);
    const list = page.getByTestId("recovery-codes");
    await expect(list.getByRole("listitem")).toHaveCount(10);
    const fresh = (await list.getByRole("listitem").allInnerTexts()).map((c) => c.trim());
    for (const code of fresh) expect(enrolment.recoveryCodes).not.toContain(code);
    const regenerated = await queryOne<{ sudoGrantId: string | null }>(
      `SELECT "sudoGrantId" FROM "AuditEvent" WHERE action = 'two_factor.recovery_codes_regenerated' AND "actorId" = ? ORDER BY seq DESC LIMIT 1`,
      await userId(TESS.email),
    );
    expect(regenerated?.sudoGrantId).toBeTruthy();
    await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
    await expect(recovery.getByTestId("recovery-remaining")).toHaveText("10 of 10 remaining");
    await expect(recovery.getByText("Few recovery codes left")).toHaveCount(0);

    // An old, never-used code stopped working; a new one works.
    await signOut(page);
    await signInToChallenge(page, TESS.email, TESS.password);
    await chooseMethod(page, "Recovery code");
    await field(page, "Recovery code").fill(neverUsed ?? "");
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That recovery code is not valid or was already used." }).first()).toBeVisible();
    await field(page, "Recovery code").fill(fresh[0]);
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/overview");
    enrolment.recoveryCodes = fresh.slice(1);
  });
});
