import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { isSetupComplete, setupFirstOwner } from "./setup-first-owner";

let t: TestDb;
beforeAll(() => {
  t = createTestDb();
});
afterAll(() => t.cleanup());

describe("setupFirstOwner", () => {
  it("creates the first owner and organization once, even when two setups race", async () => {
    expect(await isSetupComplete(t.db)).toBe(false);
    const input = { name: "Olivia", email: "owner@acme.test", password: "correct horse battery", orgName: "Acme Inc.", request: testRequest };
    const results = await Promise.allSettled([setupFirstOwner(t.db, input), setupFirstOwner(t.db, { ...input, email: "other@acme.test" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count()).toBe(1);
    const org = await t.db.organization.findFirstOrThrow();
    expect(org.slug).toBe("acme-inc");
    expect((await t.db.membership.findFirstOrThrow()).role).toBe("owner");
    expect(await t.db.auditEvent.count({ where: { action: "organization.created" } })).toBe(1);
    const user = await t.db.user.findFirstOrThrow();
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("refuses once any user exists", async () => {
    await expect(
      setupFirstOwner(t.db, { name: "Mallory", email: "mallory@evil.test", password: "correct horse battery", orgName: "Evil", request: testRequest }),
    ).rejects.toMatchObject({ code: "setup_complete" });
  });
});
