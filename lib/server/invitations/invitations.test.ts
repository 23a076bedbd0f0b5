import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createInvitation } from "./create-invitation";
import { acceptInvitation } from "./accept-invitation";
import { findInvitationByToken } from "./find-invitation";
import { revokeInvitation } from "./revoke-invitation";
import { sha256Hex } from "@/lib/server/crypto";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "admin@acme.test", role: "admin" },
  ]);
});
afterAll(() => t.cleanup());

const ownerActor = () => ({ userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, sessionPublicId: null, request: testRequest });
const tokenOf = (url: string) => url.split("/invite/")[1];

describe("invitations", () => {
  it("stores only the token's hash and returns the link once", async () => {
    const { url, invitation } = await createInvitation(t.db, { orgId: acme.orgId, actor: ownerActor(), actorRole: "owner", email: "new@acme.test", role: "member" });
    expect(url).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(row.tokenHash).toBe(sha256Hex(tokenOf(url)));
    expect(JSON.stringify(row)).not.toContain(tokenOf(url));
    expect(await t.db.auditEvent.count({ where: { action: "invitation.created", resourceId: invitation.id } })).toBe(1);
  });

  it("can be accepted exactly once, even by two racing requests", async () => {
    const { url } = await createInvitation(t.db, { orgId: acme.orgId, actor: ownerActor(), actorRole: "owner", email: "race@acme.test", role: "auditor" });
    const token = tokenOf(url);
    const attempts = await Promise.allSettled([
      acceptInvitation(t.db, { kind: "new_user", token, name: "Racer One", password: "long enough password", request: testRequest }),
      acceptInvitation(t.db, { kind: "new_user", token, name: "Racer Two", password: "long enough password", request: testRequest }),
    ]);
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.user.count({ where: { email: "race@acme.test" } })).toBe(1);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "race@acme.test" } });
    expect((await t.db.membership.findFirstOrThrow({ where: { userId: user.id } })).role).toBe("auditor");
    expect(await findInvitationByToken(t.db, token)).toEqual({ status: "invalid" });
    expect(await t.db.auditEvent.count({ where: { action: "invitation.accepted", actorId: user.id } })).toBe(1);
  });

  it("refuses expired and revoked links with the same answer", async () => {
    const expired = await createInvitation(t.db, { orgId: acme.orgId, actor: ownerActor(), actorRole: "owner", email: "late@acme.test", role: "member" });
    await t.db.invitation.update({ where: { id: expired.invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(
      acceptInvitation(t.db, { kind: "new_user", token: tokenOf(expired.url), name: "Late", password: "long enough password", request: testRequest }),
    ).rejects.toMatchObject({ code: "invitation_invalid" });
    expect(await t.db.user.count({ where: { email: "late@acme.test" } })).toBe(0);

    const revoked = await createInvitation(t.db, { orgId: acme.orgId, actor: ownerActor(), actorRole: "owner", email: "gone@acme.test", role: "member" });
    await revokeInvitation(t.db, { orgId: acme.orgId, actor: ownerActor(), invitationId: revoked.invitation.id });
    expect(await findInvitationByToken(t.db, tokenOf(revoked.url))).toEqual({ status: "invalid" });
  });

  it("does not let an admin invite an owner", async () => {
    const admin = { userId: acme.users["admin@acme.test"].userId, email: "admin@acme.test", sessionId: null, sessionPublicId: null, request: testRequest };
    await expect(createInvitation(t.db, { orgId: acme.orgId, actor: admin, actorRole: "admin", email: "boss@acme.test", role: "owner" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("only lets the invited account accept while signed in", async () => {
    const { url } = await createInvitation(t.db, { orgId: acme.orgId, actor: ownerActor(), actorRole: "owner", email: "someone@else.test", role: "member" });
    await expect(
      acceptInvitation(t.db, { kind: "signed_in", token: tokenOf(url), userId: acme.users["admin@acme.test"].userId, sessionPublicId: "s", request: testRequest }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("is worthless once the inviter may no longer grant the role: demoted or removed inviters' links stop working", async () => {
    const admin = { userId: acme.users["admin@acme.test"].userId, email: "admin@acme.test", sessionId: null, sessionPublicId: null, request: testRequest };
    const adminLink = await createInvitation(t.db, { orgId: acme.orgId, actor: admin, actorRole: "admin", email: "helper@acme.test", role: "admin" });
    const memberLink = await createInvitation(t.db, { orgId: acme.orgId, actor: admin, actorRole: "admin", email: "plain@acme.test", role: "member" });
    expect((await findInvitationByToken(t.db, tokenOf(adminLink.url))).status).toBe("valid");
    // The inviter is demoted to member: a member cannot hand out admin or member.
    await t.db.membership.update({ where: { id: acme.users["admin@acme.test"].membershipId }, data: { role: "member" } });
    expect(await findInvitationByToken(t.db, tokenOf(adminLink.url))).toEqual({ status: "invalid" });
    await expect(
      acceptInvitation(t.db, { kind: "new_user", token: tokenOf(adminLink.url), name: "Helper", password: "long enough password", request: testRequest }),
    ).rejects.toMatchObject({ code: "invitation_invalid" });
    expect(await t.db.user.count({ where: { email: "helper@acme.test" } })).toBe(0);
    // Removed entirely: the same.
    await t.db.membership.delete({ where: { id: acme.users["admin@acme.test"].membershipId } });
    await expect(
      acceptInvitation(t.db, { kind: "new_user", token: tokenOf(memberLink.url), name: "Plain", password: "long enough password", request: testRequest }),
    ).rejects.toMatchObject({ code: "invitation_invalid" });
    // The refusal did not spend the link (the transaction rolled back): it stays unusable only because of the inviter.
    const row = await t.db.invitation.findUniqueOrThrow({ where: { id: memberLink.invitation.id } });
    expect(row.acceptedAt).toBeNull();
  });
});
