import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createApiKey } from "./create-api-key";
import { verifyPresentedKey } from "./verify-presented-key";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

describe("verifyPresentedKey and a key's IP allowlist", () => {
  it("answers ip_not_allowed (not key_invalid) for a key presented from outside, or without an address; valid from inside; nothing across tenants", async () => {
    const ownerId = acme.users["owner@acme.test"].userId;
    const { raw } = await createApiKey(t.db, {
      orgId: acme.orgId,
      actor: { userId: ownerId, email: "owner@acme.test", sessionId: null, request: testRequest },
      ownerId,
      name: "office only",
      scopes: ["props:read"],
      allowedCidrs: ["10.0.0.0/8"],
    });
    expect(await verifyPresentedKey(t.db, { callerOrgId: acme.orgId, key: raw })).toMatchObject({ valid: false, code: "ip_not_allowed" });
    expect(await verifyPresentedKey(t.db, { callerOrgId: acme.orgId, key: raw, ip: "192.0.2.1" })).toMatchObject({ valid: false, code: "ip_not_allowed" });
    expect(await verifyPresentedKey(t.db, { callerOrgId: acme.orgId, key: raw, ip: "10.1.2.3", scope: "props:read" })).toMatchObject({ valid: true, code: "valid" });
    expect(await verifyPresentedKey(t.db, { callerOrgId: globex.orgId, key: raw })).toEqual({ valid: false, code: "key_invalid" });
  });
});
