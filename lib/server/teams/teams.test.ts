import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { UserActor } from "@/lib/server/audit/actor";
import { createTeam } from "./create-team";
import { renameTeam } from "./rename-team";
import { deleteTeam } from "./delete-team";
import { createWorkspace } from "./create-workspace";
import { renameWorkspace } from "./rename-workspace";
import { deleteWorkspace } from "./delete-workspace";
import { setTeamMember } from "./set-team-member";
import { listTeams } from "./list-teams";
import { createSecret } from "@/lib/server/secrets/create-secret";
import { removeMember } from "@/lib/server/members/remove-member";
import { visibleScopes } from "@/lib/server/secrets/secret-access";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const olive = (): UserActor => ({ kind: "user", userId: acme.users["olive@acme.test"].userId, email: "olive@acme.test", sessionId: null, request: testRequest });
const audits = (id: string) => t.sql(`SELECT "action", "metadata" FROM "AuditEvent" WHERE "resourceId" = ? ORDER BY "seq"`, id);

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "olive@acme.test", role: "owner" },
    { email: "mo@acme.test", role: "member" },
    { email: "leo@acme.test", role: "member" },
  ]);
  globex = await seedOrg(t.db, "Globex", [{ email: "gina@globex.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

describe("teams and workspaces", () => {
  it("creates, renames and deletes, each audited in the organization's chain", async () => {
    const team = await createTeam(t.db, { orgId: acme.orgId, name: "Payments", actor: olive() });
    await renameTeam(t.db, { orgId: acme.orgId, teamId: team.id, name: "Billing", actor: olive() });
    const ws = await createWorkspace(t.db, { orgId: acme.orgId, teamId: team.id, name: "prod", actor: olive() });
    await renameWorkspace(t.db, { orgId: acme.orgId, workspaceId: ws.id, name: "production", actor: olive() });
    expect((await listTeams(t.db, { orgId: acme.orgId })).find((x) => x.id === team.id)).toMatchObject({ name: "Billing", workspaces: [{ id: ws.id, name: "production" }] });
    await deleteWorkspace(t.db, { orgId: acme.orgId, workspaceId: ws.id, actor: olive() });
    await deleteTeam(t.db, { orgId: acme.orgId, teamId: team.id, actor: olive() });
    expect((await audits(team.id)).map((a) => a.action)).toEqual(["team.created", "team.renamed", "team.deleted"]);
    expect((await audits(ws.id)).map((a) => a.action)).toEqual(["workspace.created", "workspace.renamed", "workspace.deleted"]);
    expect(await t.db.team.count({ where: { id: team.id } })).toBe(0);
  });

  it("refuses a taken name as a conflict, also from two parallel creations", async () => {
    const results = await Promise.allSettled([0, 1, 2].map(() => createTeam(t.db, { orgId: acme.orgId, name: "Infra", actor: olive() })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    // Another organization may use the same name.
    await expect(createTeam(t.db, { orgId: globex.orgId, name: "Infra", actor: olive() })).resolves.toBeTruthy();
  });

  it("treats another organization's team, workspace or person as not found", async () => {
    const foreign = await createTeam(t.db, { orgId: globex.orgId, name: "Secret team", actor: olive() });
    const foreignWs = await createWorkspace(t.db, { orgId: globex.orgId, teamId: foreign.id, name: "w", actor: olive() });
    await expect(renameTeam(t.db, { orgId: acme.orgId, teamId: foreign.id, name: "Mine", actor: olive() })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteTeam(t.db, { orgId: acme.orgId, teamId: foreign.id, actor: olive() })).rejects.toMatchObject({ code: "not_found" });
    await expect(createWorkspace(t.db, { orgId: acme.orgId, teamId: foreign.id, name: "x", actor: olive() })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteWorkspace(t.db, { orgId: acme.orgId, workspaceId: foreignWs.id, actor: olive() })).rejects.toMatchObject({ code: "not_found" });
    const mine = await createTeam(t.db, { orgId: acme.orgId, name: "Mine", actor: olive() });
    await expect(setTeamMember(t.db, { orgId: acme.orgId, teamId: foreign.id, userId: acme.users["mo@acme.test"].userId, member: true, actor: olive() })).rejects.toMatchObject({ code: "not_found" });
    await expect(setTeamMember(t.db, { orgId: acme.orgId, teamId: mine.id, userId: globex.users["gina@globex.test"].userId, member: true, actor: olive() })).rejects.toMatchObject({ code: "not_found" });
    expect(await t.db.team.findUnique({ where: { id: foreign.id } })).toMatchObject({ name: "Secret team" });
  });

  it("assigns members once and audits only real changes", async () => {
    const team = await createTeam(t.db, { orgId: acme.orgId, name: "Ops", actor: olive() });
    const mo = acme.users["mo@acme.test"].userId;
    expect(await setTeamMember(t.db, { orgId: acme.orgId, teamId: team.id, userId: mo, member: true, actor: olive() })).toEqual({ changed: true });
    expect(await setTeamMember(t.db, { orgId: acme.orgId, teamId: team.id, userId: mo, member: true, actor: olive() })).toEqual({ changed: false });
    expect((await listTeams(t.db, { orgId: acme.orgId })).find((x) => x.id === team.id)?.members.map((m) => m.email)).toEqual(["mo@acme.test"]);
    expect(await setTeamMember(t.db, { orgId: acme.orgId, teamId: team.id, userId: mo, member: false, actor: olive() })).toEqual({ changed: true });
    expect((await audits(team.id)).map((a) => a.action)).toEqual(["team.created", "team.member_added", "team.member_removed"]);
  });

  it("will not delete a team or workspace that still holds secrets", async () => {
    const team = await createTeam(t.db, { orgId: acme.orgId, name: "Data", actor: olive() });
    const ws = await createWorkspace(t.db, { orgId: acme.orgId, teamId: team.id, name: "lake", actor: olive() });
    await createSecret(t.db, { orgId: acme.orgId, actor: olive(), input: { name: "LAKE_TOKEN", category: "infrastructure", value: "lake-secret", scope: "workspace", workspaceId: ws.id } });
    await expect(deleteWorkspace(t.db, { orgId: acme.orgId, workspaceId: ws.id, actor: olive() })).rejects.toMatchObject({ code: "conflict" });
    await expect(deleteTeam(t.db, { orgId: acme.orgId, teamId: team.id, actor: olive() })).rejects.toMatchObject({ code: "conflict" });
    expect(await t.db.workspace.count({ where: { id: ws.id } })).toBe(1);
  });

  it("removing someone from the organization takes their team places too", async () => {
    const team = await createTeam(t.db, { orgId: acme.orgId, name: "Leavers", actor: olive() });
    const leo = acme.users["leo@acme.test"];
    await setTeamMember(t.db, { orgId: acme.orgId, teamId: team.id, userId: leo.userId, member: true, actor: olive() });
    expect(await visibleScopes(t.db, acme.orgId, { kind: "member", userId: leo.userId, role: "member" })).toContain(`team:${team.id}`);
    await removeMember(t.db, { orgId: acme.orgId, actor: olive(), actorRole: "owner", membershipId: leo.membershipId });
    expect(await t.db.teamMember.count({ where: { userId: leo.userId } })).toBe(0);
    expect(await visibleScopes(t.db, acme.orgId, { kind: "member", userId: leo.userId, role: "member" })).toEqual(["organization"]);
  });
});
