import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb } from "@/lib/server/db/client";
import { changeMemberRole } from "@/lib/server/members/change-member-role";
import { removeMember } from "@/lib/server/members/remove-member";
import { keyMayUse } from "@/lib/api-keys/scopes";
import type { UserActor } from "@/lib/server/audit/actor";
import { createApiKey } from "./create-api-key";
import { revokeApiKey } from "./revoke-api-key";
import { verifyApiKey } from "./verify-api-key";
import { verifyPresentedKey } from "./verify-presented-key";
import { createResource } from "@/lib/server/resources/create-resource";
import { deleteResource } from "@/lib/server/resources/delete-resource";

// Removing a member revokes their keys at once; changing a role changes what
// their keys may do on the very next request, also on another instance.

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;

const actor = (userId: string, email: string): UserActor => ({ userId, email, sessionId: null, sessionPublicId: null, request: testRequest });
const IP = "203.0.113.9";

async function issue(orgId: string, ownerId: string, name: string, scopes: string[]) {
  return createApiKey(t.db, { orgId, actor: actor(ownerId, "x@test"), ownerId, name, scopes });
}

/** What withApiKey asks for a request needing `scope`: the key checks out and scopes ∩ current role grant it. */
async function allowed(raw: string, scope: string, db = t.db) {
  const check = await verifyApiKey(db, raw, IP);
  if (!check.ok) return check.code;
  return keyMayUse(check.key.scopes, check.key.ownerRole, scope) ? "allowed" : "insufficient_scope";
}

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "admin@acme.test", role: "admin" },
    { email: "mia@acme.test", role: "member" },
    { email: "max@acme.test", role: "member" },
  ]);
  // Mia is also a member of Globex: leaving Acme must not touch her Globex keys.
  globex = await seedOrg(t.db, "Globex", [
    { email: "owner@globex.test", role: "owner" },
    { email: "mia@acme.test", role: "member" },
  ]);
});
afterAll(() => t.cleanup());

describe("removing a member", () => {
  it("revokes every key they own in that organization in the same transaction, audited per key, refused on the next request", async () => {
    const mia = acme.users["mia@acme.test"];
    const ci = await issue(acme.orgId, mia.userId, "CI", ["props:write"]);
    const deploy = await issue(acme.orgId, mia.userId, "Deploy", ["playgrounds:write", "monitor:read"]);
    const old = await issue(acme.orgId, mia.userId, "Old", ["props:read"]);
    await revokeApiKey(t.db, { keyId: old.key.id, authority: { orgId: acme.orgId, userId: mia.userId, manageAll: false }, actor: actor(mia.userId, "mia@acme.test") });
    const colleague = await issue(acme.orgId, acme.users["max@acme.test"].userId, "Max's", ["props:read"]);
    const elsewhere = await issue(globex.orgId, mia.userId, "Globex CI", ["props:read"]);

    // Both keys work and sit in the verification cache.
    expect(await allowed(ci.raw, "props:write")).toBe("allowed");
    expect(await allowed(deploy.raw, "monitor:read")).toBe("allowed");

    const owner = acme.users["owner@acme.test"];
    await removeMember(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: mia.membershipId });

    expect(await allowed(ci.raw, "props:write")).toBe("key_revoked");
    expect(await allowed(deploy.raw, "monitor:read")).toBe("key_revoked");
    const rows = await t.db.apiKey.findMany({ where: { id: { in: [ci.key.id, deploy.key.id] } } });
    for (const row of rows) {
      expect(row.revokedAt).not.toBeNull();
      expect(row.revokedReason).toBe("owner removed from the organization");
      expect(row.revokedById).toBe(owner.userId);
    }
    const revoked = await t.db.auditEvent.findMany({ where: { organizationId: acme.orgId, action: "api_key.revoked" }, orderBy: { seq: "asc" } });
    // One event per key revoked by the removal (the key Mia revoked herself has its own, earlier one).
    expect(revoked.map((e) => e.resourceId).sort()).toEqual([old.key.id, ci.key.id, deploy.key.id].sort());
    const byRemoval = revoked.filter((e) => e.resourceId !== old.key.id);
    for (const e of byRemoval) {
      expect(e.actorId).toBe(owner.userId);
      expect(JSON.parse(e.metadata)).toEqual({ reason: "owner removed from the organization" });
    }
    const removal = await t.db.auditEvent.findFirstOrThrow({ where: { organizationId: acme.orgId, action: "member.removed" } });
    expect(byRemoval.every((e) => e.seq > removal.seq)).toBe(true);

    // Other members' keys and Mia's keys in another organization are untouched.
    expect(await allowed(colleague.raw, "props:read")).toBe("allowed");
    expect(await allowed(elsewhere.raw, "props:read")).toBe("allowed");
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: old.key.id } })).revokedReason).toBe("revoked");
  });

  it("revokes nothing when the removal is refused (another organization's membership, the last owner)", async () => {
    const max = acme.users["max@acme.test"];
    const key = await issue(acme.orgId, max.userId, "Max CI", ["props:read"]);
    const globexOwner = globex.users["owner@globex.test"];
    await expect(
      removeMember(t.db, { orgId: globex.orgId, actor: actor(globexOwner.userId, "owner@globex.test"), actorRole: "owner", membershipId: max.membershipId }),
    ).rejects.toMatchObject({ code: "not_found" });
    const owner = acme.users["owner@acme.test"];
    const ownerKey = await issue(acme.orgId, owner.userId, "Owner's", ["*"]);
    await expect(
      removeMember(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: owner.membershipId }),
    ).rejects.toMatchObject({ code: "last_owner" });
    expect(await allowed(key.raw, "props:read")).toBe("allowed");
    expect(await allowed(ownerKey.raw, "secrets:manage")).toBe("allowed");
  });
});

describe("changing a member's role", () => {
  it("takes a lowered role into account on the key's very next request (scopes ∩ current role)", async () => {
    const admin = acme.users["admin@acme.test"];
    const key = await issue(acme.orgId, admin.userId, "Admin ops", ["props:write", "keys:manage", "secrets:read"]);
    expect(await allowed(key.raw, "props:write")).toBe("allowed");
    expect(await allowed(key.raw, "keys:manage")).toBe("allowed");

    const owner = acme.users["owner@acme.test"];
    const change = (role: "member" | "auditor" | "admin") =>
      changeMemberRole(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: admin.membershipId, role });

    await change("member");
    expect(await allowed(key.raw, "props:write")).toBe("allowed");
    expect(await allowed(key.raw, "keys:manage")).toBe("insufficient_scope");

    await change("auditor");
    expect(await allowed(key.raw, "props:write")).toBe("insufficient_scope");
    expect(await allowed(key.raw, "props:read")).toBe("allowed");
    expect(await allowed(key.raw, "secrets:read")).toBe("insufficient_scope");
    // The verify endpoint's answer for other services says the same.
    expect((await verifyPresentedKey(t.db, { callerOrgId: acme.orgId, key: key.raw, scope: "props:write" })).code).toBe("insufficient_scope");

    // Raising it again restores what the key holds, and never more.
    await change("admin");
    expect(await allowed(key.raw, "props:write")).toBe("allowed");
    expect(await allowed(key.raw, "secrets:write")).toBe("insufficient_scope");
  });

  it("reaches another instance's cache as well (PostgreSQL NOTIFY)", async () => {
    if (t.provider !== "postgres") return; // one instance per SQLite file
    const other = createDb(t.url);
    try {
      const max = acme.users["max@acme.test"];
      const key = await issue(acme.orgId, max.userId, "Max deploys", ["playgrounds:write"]);
      expect(await allowed(key.raw, "playgrounds:write", other)).toBe("allowed");
      await new Promise((r) => setTimeout(r, 500)); // the other instance's LISTEN connection is up
      const owner = acme.users["owner@acme.test"];
      await changeMemberRole(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), actorRole: "owner", membershipId: max.membershipId, role: "auditor" });
      let answer = "";
      for (let i = 0; i < 40 && answer !== "insufficient_scope"; i++) {
        answer = await allowed(key.raw, "playgrounds:write", other);
        if (answer !== "insufficient_scope") await new Promise((r) => setTimeout(r, 50));
      }
      // Well inside the cache's 10 s freshness window: the notification did it.
      expect(answer).toBe("insufficient_scope");
    } finally {
      await other.$disconnect();
    }
  });
});

describe("deleting an agent", () => {
  it("revokes the keys issued to it in the same transaction, audited per key after the deletion; other keys keep working", async () => {
    const owner = acme.users["owner@acme.test"];
    const agent = await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: actor(owner.userId, "owner@acme.test"), input: { name: "nightly-builder" } });
    const other = await createResource(t.db, { orgId: acme.orgId, type: "agent", actor: actor(owner.userId, "owner@acme.test"), input: { name: "reviewer" } });
    const asAgent = await createApiKey(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), ownerId: owner.userId, name: "builder key", scopes: ["props:read"], agentId: agent.id });
    const otherAgent = await createApiKey(t.db, { orgId: acme.orgId, actor: actor(owner.userId, "owner@acme.test"), ownerId: owner.userId, name: "reviewer key", scopes: ["props:read"], agentId: other.id });
    const plain = await issue(acme.orgId, owner.userId, "plain", ["props:read"]);
    const check = await verifyApiKey(t.db, asAgent.raw, IP);
    expect(check.ok && check.key.agent?.name).toBe("nightly-builder"); // cached now

    await deleteResource(t.db, { orgId: acme.orgId, type: "agent", id: agent.id, actor: actor(owner.userId, "owner@acme.test") });

    expect(await allowed(asAgent.raw, "props:read")).toBe("key_revoked");
    expect(await allowed(otherAgent.raw, "props:read")).toBe("allowed");
    expect(await allowed(plain.raw, "props:read")).toBe("allowed");
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: asAgent.key.id } });
    expect([row.revokedReason, row.revokedById]).toEqual(["agent deleted", owner.userId]);
    const deletion = await t.db.auditEvent.findFirstOrThrow({ where: { organizationId: acme.orgId, action: "agent.deleted", resourceId: agent.id } });
    const revocation = await t.db.auditEvent.findFirstOrThrow({ where: { organizationId: acme.orgId, action: "api_key.revoked", resourceId: asAgent.key.id } });
    expect(revocation.seq).toBeGreaterThan(deletion.seq);
    expect(JSON.parse(revocation.metadata)).toEqual({ reason: "agent deleted" });
  });
});
