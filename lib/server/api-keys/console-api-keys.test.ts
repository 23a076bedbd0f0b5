import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Role } from "@/lib/permissions";
import { createKeyFormSchema, updateKeyFormSchema } from "@/lib/validations/api-keys";
import { createConsoleApiKey, type ConsoleMember } from "./create-console-api-key";
import { updateConsoleApiKey } from "./update-console-api-key";

// The console's create and edit forms, from the submitted fields (parsed by
// the same schema the server action uses) to the stored key: the rate-limit
// override rule, who may set one, and what a member may not grant.

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
const DEFAULT = 600; // API_KEY_RATE_LIMIT_PER_MINUTE's default

function member(email: string, role: Role): ConsoleMember {
  return { orgId: acme.orgId, role, actor: { userId: acme.users[email].userId, email, sessionId: null, sessionPublicId: null, request: testRequest } };
}

function form(fields: Record<string, string>) {
  return createKeyFormSchema.parse({ name: "CI", scopes: "props:read props:write", expiry: "30", ...fields });
}

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "admin@acme.test", role: "admin" },
    { email: "mia@acme.test", role: "member" },
    { email: "ada@acme.test", role: "auditor" },
  ]);
});
afterAll(() => t.cleanup());

describe("the rate-limit override through the console", () => {
  it("discards negative, zero and non-numeric values (the default applies) and keeps sensible ones", async () => {
    const admin = member("admin@acme.test", "admin");
    for (const value of ["-5", "0", "abc", "", "   ", "NaN", "Infinity", "-0"]) {
      const { key } = await createConsoleApiKey(t.db, admin, form({ rateLimitPerMinute: value }));
      expect(key.rateLimitPerMinute, `override ${JSON.stringify(value)}`).toBeNull();
    }
    expect((await createConsoleApiKey(t.db, admin, form({ rateLimitPerMinute: "120" }))).key.rateLimitPerMinute).toBe(120);
    expect((await createConsoleApiKey(t.db, admin, form({ rateLimitPerMinute: "12.9" }))).key.rateLimitPerMinute).toBe(12);
    expect((await createConsoleApiKey(t.db, admin, form({ rateLimitPerMinute: String(100 * DEFAULT) }))).key.rateLimitPerMinute).toBe(100 * DEFAULT);
  });

  it("rejects an override above 100× the default with an error on the field, and stores nothing", async () => {
    const admin = member("admin@acme.test", "admin");
    const before = await t.db.apiKey.count();
    for (const value of [String(100 * DEFAULT + 1), "1e9"]) {
      await expect(createConsoleApiKey(t.db, admin, form({ name: "Too fast", rateLimitPerMinute: value }))).rejects.toMatchObject({
        code: "validation_failed",
        message: expect.stringContaining(`at most ${100 * DEFAULT} requests a minute`),
        details: { fieldErrors: { rateLimitPerMinute: [expect.stringContaining("100×")] } },
      });
    }
    expect(await t.db.apiKey.count()).toBe(before);
    expect(await t.db.auditEvent.count({ where: { action: "api_key.created", metadata: { contains: "Too fast" } } })).toBe(0);
  });

  it("is for owners and admins only: a member sending one is refused, on create and on edit", async () => {
    const mia = member("mia@acme.test", "member");
    await expect(createConsoleApiKey(t.db, mia, form({ rateLimitPerMinute: "100" }))).rejects.toMatchObject({
      code: "forbidden",
      details: { fieldErrors: { rateLimitPerMinute: ["Only owners and admins can set a rate-limit override."] } },
    });
    // Even a value that would be discarded: the field is not theirs to send.
    await expect(createConsoleApiKey(t.db, mia, form({ rateLimitPerMinute: "-1" }))).rejects.toMatchObject({ code: "forbidden" });
    const own = await createConsoleApiKey(t.db, mia, form({ rateLimitPerMinute: "" }));
    expect(own.key.rateLimitPerMinute).toBeNull();
    const edit = updateKeyFormSchema.parse({ keyId: own.key.id, name: "CI 2", rateLimitPerMinute: "5000" });
    await expect(updateConsoleApiKey(t.db, mia, edit)).rejects.toMatchObject({ code: "forbidden" });
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: own.key.id } })).name).toBe("CI");
    // Without the field, the member's edit goes through and leaves the override alone.
    await updateConsoleApiKey(t.db, mia, updateKeyFormSchema.parse({ keyId: own.key.id, name: "CI 2" }));
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: own.key.id } })).name).toBe("CI 2");
  });

  it("lets an admin change or clear an override on edit, by the same rule", async () => {
    const admin = member("admin@acme.test", "admin");
    const { key } = await createConsoleApiKey(t.db, admin, form({ rateLimitPerMinute: "50" }));
    await updateConsoleApiKey(t.db, admin, updateKeyFormSchema.parse({ keyId: key.id, name: "CI", rateLimitPerMinute: "900" }));
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).rateLimitPerMinute).toBe(900);
    await expect(updateConsoleApiKey(t.db, admin, updateKeyFormSchema.parse({ keyId: key.id, name: "CI", rateLimitPerMinute: "60001" }))).rejects.toMatchObject({ code: "validation_failed" });
    await updateConsoleApiKey(t.db, admin, updateKeyFormSchema.parse({ keyId: key.id, name: "CI", rateLimitPerMinute: "0" }));
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).rateLimitPerMinute).toBeNull();
  });
});

describe("what the console lets a role grant", () => {
  it("never gives a member the wildcard or a scope beyond their role, and keeps a member off colleagues' keys", async () => {
    const mia = member("mia@acme.test", "member");
    await expect(createConsoleApiKey(t.db, mia, form({ scopes: "*" }))).rejects.toMatchObject({ code: "validation_failed", details: { fieldErrors: { scopes: [expect.stringContaining("(*)")] } } });
    await expect(createConsoleApiKey(t.db, mia, form({ scopes: "props:read keys:manage" }))).rejects.toMatchObject({ code: "validation_failed" });
    const ada = member("ada@acme.test", "auditor");
    await expect(createConsoleApiKey(t.db, ada, form({ scopes: "secrets:read" }))).rejects.toMatchObject({ code: "validation_failed" });
    const admins = await createConsoleApiKey(t.db, member("admin@acme.test", "admin"), form({ scopes: "*" }));
    expect(admins.key.scopes).toEqual(["*"]);
    await expect(updateConsoleApiKey(t.db, mia, updateKeyFormSchema.parse({ keyId: admins.key.id, name: "mine now" }))).rejects.toMatchObject({ code: "not_found" });
  });

  it("turns the expiry choices into dates: presets, the start of a chosen day (UTC), never", async () => {
    const admin = member("admin@acme.test", "admin");
    const week = await createConsoleApiKey(t.db, admin, form({ expiry: "7" }));
    expect(Math.round((week.key.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(7);
    const day = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const custom = await createConsoleApiKey(t.db, admin, form({ expiry: "custom", expiresOn: day }));
    expect(custom.key.expiresAt!.toISOString()).toBe(`${day}T00:00:00.000Z`);
    expect((await createConsoleApiKey(t.db, admin, form({ expiry: "never" }))).key.expiresAt).toBeNull();
    expect(createKeyFormSchema.safeParse({ name: "x", scopes: "props:read", expiry: "custom", expiresOn: "" }).success).toBe(false);
    await expect(createConsoleApiKey(t.db, admin, form({ expiry: "custom", expiresOn: "2001-01-01" }))).rejects.toMatchObject({ details: { fieldErrors: { expiresAt: ["Choose an expiry in the future."] } } });
  });
});
