import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { changeMemberRole } from "./change-member-role";
import { removeMember } from "./remove-member";
import type { UserActor } from "@/lib/server/audit/actor";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;

const actor = (userId: string, email: string): UserActor => ({ userId, email, sessionId: null, sessionPublicId: null, request: testRequest });

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "admin@acme.test", role: "admin" },
    { email: "member@acme.test", role: "member" },
  ]);
  globex = await seedOrg(t.db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

describe("changeMemberRole", () => {
  it("changes a role and records from/to in one audit event", async () => {
    const owner = acme.users["owner@acme.test"];
    await changeMemberRole(t.db, {
      orgId: acme.orgId,
      actor: actor(owner.userId, "owner@acme.test"),
      actorRole: "owner",
      membershipId: acme.users["member@acme.test"].membershipId,
      role: "auditor",
    });
    const events = await t.db.auditEvent.findMany({ where: { action: "member.role_changed", organizationId: acme.orgId } });
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0].metadata)).toEqual({ from: "member", to: "auditor" });
  });

  it("treats another organization's membership exactly like a missing one", async () => {
    const owner = acme.users["owner@acme.test"];
    const foreign = changeMemberRole(t.db, {
      orgId: acme.orgId,
      actor: actor(owner.userId, "owner@acme.test"),
      actorRole: "owner",
      membershipId: globex.users["owner@globex.test"].membershipId,
      role: "member",
    });
    await expect(foreign).rejects.toMatchObject({ code: "not_found", message: "That member does not exist." });
    const missing = changeMemberRole(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "o"), actorRole: "owner", membershipId: "nope", role: "member" });
    await expect(missing).rejects.toMatchObject({ code: "not_found", message: "That member does not exist." });
    expect((await t.db.membership.findUniqueOrThrow({ where: { id: globex.users["owner@globex.test"].membershipId } })).role).toBe("owner");
  });

  it("does not let an admin touch an owner or create one", async () => {
    const admin = acme.users["admin@acme.test"];
    await expect(
      changeMemberRole(t.db, { orgId: acme.orgId, actor: actor(admin.userId, "admin@acme.test"), actorRole: "admin", membershipId: acme.users["owner@acme.test"].membershipId, role: "member" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      changeMemberRole(t.db, { orgId: acme.orgId, actor: actor(admin.userId, "admin@acme.test"), actorRole: "admin", membershipId: acme.users["member@acme.test"].membershipId, role: "owner" }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("never leaves an organization without an owner", async () => {
    const owner = acme.users["owner@acme.test"];
    await expect(
      changeMemberRole(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: owner.membershipId, role: "admin" }),
    ).rejects.toMatchObject({ code: "last_owner" });
    await expect(
      removeMember(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: owner.membershipId }),
    ).rejects.toMatchObject({ code: "last_owner" });
  });
});

describe("removeMember", () => {
  it("removes the membership and records it", async () => {
    const owner = acme.users["owner@acme.test"];
    const target = acme.users["admin@acme.test"].membershipId;
    await removeMember(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: target });
    expect(await t.db.membership.findUnique({ where: { id: target } })).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "member.removed", resourceId: target } })).toBe(1);
  });
});
