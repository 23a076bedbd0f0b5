import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { isSetupComplete, setupFirstOwner } from "./setup-first-owner";
import { issueSetupToken, isValidSetupToken } from "./setup-token";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.cleanup());

const owner = { name: "Olivia", email: "owner@acme.test", password: "correct horse battery", orgName: "Acme Inc.", request: testRequest };

describe("setupFirstOwner", () => {
  it("needs the one-time token the server printed: none, a wrong one and an expired one are refused", async () => {
    const token = await issueSetupToken(t.db);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Only the hash is stored.
    expect(JSON.stringify(await t.db.setupToken.findMany())).not.toContain(token!);
    await expect(setupFirstOwner(t.db, { ...owner, token: "" })).rejects.toMatchObject({ code: "setup_token_invalid" });
    await expect(setupFirstOwner(t.db, { ...owner, token: `${token}x` })).rejects.toMatchObject({ code: "setup_token_invalid" });
    const stale = await issueSetupToken(t.db, new Date(Date.now() - 25 * 3_600_000));
    expect(await isValidSetupToken(t.db, stale)).toBe(false);
    await expect(setupFirstOwner(t.db, { ...owner, token: stale! })).rejects.toMatchObject({ code: "setup_token_invalid" });
    expect(await isSetupComplete(t.db)).toBe(false);
    expect(await isValidSetupToken(t.db, token)).toBe(true);
  });

  it("creates the first owner and organization once, even when two setups race with two valid links", async () => {
    const first = (await issueSetupToken(t.db))!;
    const second = (await issueSetupToken(t.db))!;
    const results = await Promise.allSettled([
      setupFirstOwner(t.db, { ...owner, token: first }),
      setupFirstOwner(t.db, { ...owner, email: "other@acme.test", token: second }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count()).toBe(1);
    const org = await t.db.organization.findFirstOrThrow();
    expect(org.slug).toBe("acme-inc");
    expect((await t.db.membership.findFirstOrThrow()).role).toBe("owner");
    expect(await t.db.auditEvent.count({ where: { action: "organization.created" } })).toBe(1);
    const user = await t.db.user.findFirstOrThrow();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    // Setup spent every link; a start now prints none.
    expect(await t.db.setupToken.count()).toBe(0);
    expect(await issueSetupToken(t.db)).toBeNull();
  });

  it("refuses once any user exists", async () => {
    await expect(setupFirstOwner(t.db, { ...owner, name: "Mallory", email: "mallory@evil.test", token: "whatever" })).rejects.toMatchObject({
      code: "setup_complete",
    });
  });
});
