import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Actor } from "@/lib/server/audit/actor";
import type { Role } from "@/lib/permissions";
import { createTeam } from "@/lib/server/teams/create-team";
import { createWorkspace } from "@/lib/server/teams/create-workspace";
import { setTeamMember } from "@/lib/server/teams/set-team-member";
import { createSecret } from "./create-secret";
import { updateSecret } from "./update-secret";
import { deleteSecret } from "./delete-secret";
import { revealSecret } from "./reveal-secret";
import { listSecrets } from "./list-secrets";
import { resolveWorkspaceSecrets } from "./resolve-workspace-secrets";
import { setRotationPolicy } from "./set-rotation-policy";
import type { SecretViewer } from "./secret-access";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const EMAILS = { olive: "olive@acme.test", mo: "mo@acme.test", tess: "tess@acme.test", aud: "aud@acme.test" } as const;
const ROLES: Record<keyof typeof EMAILS, Role> = { olive: "owner", mo: "member", tess: "member", aud: "auditor" };
const actor = (who: keyof typeof EMAILS): Actor => ({ kind: "user", userId: acme.users[EMAILS[who]].userId, email: EMAILS[who], sessionId: null, request: testRequest });
const viewer = (who: keyof typeof EMAILS): SecretViewer => ({ kind: "member", userId: acme.users[EMAILS[who]].userId, role: ROLES[who] });
let payments: { id: string };
let search: { id: string };
let prod: { id: string };
let searchWs: { id: string };
const PLANTED = ["planted-org-9f3c1", "planted-team-7a2b4", "planted-ws-5d6e8", "planted-new-3c4d5"];
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: EMAILS.olive, role: "owner" },
    { email: EMAILS.mo, role: "member" },
    { email: EMAILS.tess, role: "member" },
    { email: EMAILS.aud, role: "auditor" },
  ]);
  globex = await seedOrg(t.db, "Globex", [{ email: "gina@globex.test", role: "owner" }]);
  payments = await createTeam(t.db, { orgId: acme.orgId, name: "Payments", actor: actor("olive") });
  search = await createTeam(t.db, { orgId: acme.orgId, name: "Search", actor: actor("olive") });
  prod = await createWorkspace(t.db, { orgId: acme.orgId, teamId: payments.id, name: "prod", actor: actor("olive") });
  searchWs = await createWorkspace(t.db, { orgId: acme.orgId, teamId: search.id, name: "prod", actor: actor("olive") });
  await setTeamMember(t.db, { orgId: acme.orgId, teamId: payments.id, userId: acme.users[EMAILS.mo].userId, member: true, actor: actor("olive") });
  await setTeamMember(t.db, { orgId: acme.orgId, teamId: search.id, userId: acme.users[EMAILS.tess].userId, member: true, actor: actor("olive") });
  const create = (input: Record<string, unknown>) => createSecret(t.db, { orgId: acme.orgId, actor: actor("olive"), input: { category: "provider", ...input } });
  ids.org = (await create({ name: "DB_URL", value: PLANTED[0], scope: "organization" })).id;
  ids.team = (await create({ name: "DB_URL", value: PLANTED[1], scope: "team", teamId: payments.id })).id;
  ids.ws = (await create({ name: "DB_URL", value: PLANTED[2], scope: "workspace", workspaceId: prod.id })).id;
  ids.teamOnly = (await create({ name: "STRIPE_KEY", value: "sk_team_only_123", scope: "team", teamId: payments.id })).id;
  ids.orgOnly = (await create({ name: "SENTRY_DSN", value: "dsn-org-only", scope: "organization", category: "integration" })).id;
  ids.search = (await create({ name: "ES_PASSWORD", value: "search-only-pw", scope: "workspace", workspaceId: searchWs.id })).id;
});
afterAll(() => t.cleanup());

describe("the vault (db backend)", () => {
  it("stores only ciphertext: no planted value in any column other than ciphertext and wrappedKey, in audit rows or lists", async () => {
    await updateSecret(t.db, { orgId: acme.orgId, id: ids.org, actor: actor("olive"), input: { value: PLANTED[3] } });
    await revealSecret(t.db, { orgId: acme.orgId, id: ids.org, actor: actor("olive"), viewer: viewer("olive") });
    const rows = await t.sql(`SELECT * FROM "Secret"`);
    const plain = JSON.stringify(rows.map(({ ciphertext, wrappedKey, ...rest }) => rest));
    const sealed = JSON.stringify(rows.map((r) => [r.ciphertext, r.wrappedKey]));
    const audit = JSON.stringify(await t.sql(`SELECT * FROM "AuditEvent"`));
    const list = JSON.stringify(await listSecrets(t.db, { orgId: acme.orgId, viewer: viewer("olive") }));
    for (const value of PLANTED) {
      for (const haystack of [plain, sealed, audit, list]) expect(haystack).not.toContain(value);
    }
    expect(list).not.toContain(String(rows[0].ciphertext));
  });

  it("reveals a value to an allowed viewer, audited with lastRevealedAt, never with the value", async () => {
    const revealed = await revealSecret(t.db, { orgId: acme.orgId, id: ids.team, actor: actor("mo"), viewer: viewer("mo") });
    expect(revealed).toEqual({ id: ids.team, name: "DB_URL", value: PLANTED[1] });
    const row = await t.db.secret.findUniqueOrThrow({ where: { id: ids.team } });
    expect(row.lastRevealedById).toBe(acme.users[EMAILS.mo].userId);
    const events = await t.sql(`SELECT "action", "actorLabel", "metadata" FROM "AuditEvent" WHERE "resourceId" = ? ORDER BY "seq"`, ids.team);
    expect(events.map((e) => e.action)).toEqual(["secret.created", "secret.revealed"]);
    expect(events[1].actorLabel).toBe(EMAILS.mo);
  });

  it("binds each ciphertext to its row: a value copied onto another secret does not decrypt", async () => {
    const [source] = await t.sql(`SELECT "ciphertext", "wrappedKey", "masterKeyId" FROM "Secret" WHERE "id" = ?`, ids.orgOnly);
    await t.sql(`UPDATE "Secret" SET "ciphertext" = ?, "wrappedKey" = ? WHERE "id" = ?`, source.ciphertext, source.wrappedKey, ids.teamOnly);
    let message = "";
    await revealSecret(t.db, { orgId: acme.orgId, id: ids.teamOnly, actor: actor("olive"), viewer: viewer("olive") }).catch((e: unknown) => (message = String(e)));
    expect(message).toMatch(/does not decrypt/);
    expect(message).not.toContain("dsn-org-only");
    // A failed reveal is not recorded as a reveal.
    expect(await t.db.auditEvent.count({ where: { resourceId: ids.teamOnly, action: "secret.revealed" } })).toBe(0);
  });

  it("shows a member the organization's secrets and their teams' (and those workspaces'), never others", async () => {
    const names = async (who: keyof typeof EMAILS) => (await listSecrets(t.db, { orgId: acme.orgId, viewer: viewer(who) })).map((s) => `${s.name}@${s.scopeKey.split(":")[0]}`).sort();
    expect(await names("mo")).toEqual(["DB_URL@organization", "DB_URL@team", "DB_URL@workspace", "SENTRY_DSN@organization", "STRIPE_KEY@team"]);
    expect(await names("tess")).toEqual(["DB_URL@organization", "ES_PASSWORD@workspace", "SENTRY_DSN@organization"]);
    expect((await names("aud")).length).toBe(6);
    // Tess is not in Payments: its secrets are not found for her, also by direct id.
    for (const id of [ids.team, ids.ws, ids.teamOnly]) {
      await expect(revealSecret(t.db, { orgId: acme.orgId, id, actor: actor("tess"), viewer: viewer("tess") })).rejects.toMatchObject({ code: "not_found" });
    }
    await expect(resolveWorkspaceSecrets(t.db, { orgId: acme.orgId, workspaceId: prod.id, viewer: viewer("tess") })).rejects.toMatchObject({ code: "not_found" });
    // Leaving the team takes the visibility away at once.
    await setTeamMember(t.db, { orgId: acme.orgId, teamId: payments.id, userId: acme.users[EMAILS.mo].userId, member: false, actor: actor("olive") });
    expect(await names("mo")).toEqual(["DB_URL@organization", "SENTRY_DSN@organization"]);
    await setTeamMember(t.db, { orgId: acme.orgId, teamId: payments.id, userId: acme.users[EMAILS.mo].userId, member: true, actor: actor("olive") });
  });

  it("never lets an auditor reveal, and treats another organization's id as not found", async () => {
    await expect(revealSecret(t.db, { orgId: acme.orgId, id: ids.orgOnly, actor: actor("aud"), viewer: viewer("aud") })).rejects.toMatchObject({ code: "forbidden" });
    const gina: Actor = { kind: "user", userId: globex.users["gina@globex.test"].userId, email: "gina@globex.test", sessionId: null, request: testRequest };
    const ginaView: SecretViewer = { kind: "member", userId: gina.kind === "user" ? gina.userId : "", role: "owner" };
    await expect(revealSecret(t.db, { orgId: globex.orgId, id: ids.orgOnly, actor: gina, viewer: ginaView })).rejects.toMatchObject({ code: "not_found" });
    await expect(updateSecret(t.db, { orgId: globex.orgId, id: ids.orgOnly, actor: gina, input: { value: "hijack" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteSecret(t.db, { orgId: globex.orgId, id: ids.orgOnly, actor: gina })).rejects.toMatchObject({ code: "not_found" });
    await expect(createSecret(t.db, { orgId: globex.orgId, actor: gina, input: { name: "X", category: "agent", value: "v", scope: "team", teamId: payments.id } })).rejects.toMatchObject({ code: "validation_failed" });
    expect(await listSecrets(t.db, { orgId: globex.orgId, viewer: ginaView })).toEqual([]);
  });

  it("resolves a workspace's secrets: narrowest scope wins, and says what it shadows", async () => {
    const resolved = await resolveWorkspaceSecrets(t.db, { orgId: acme.orgId, workspaceId: prod.id, viewer: viewer("mo") });
    expect(resolved.map((r) => [r.name, r.winner.scope, r.shadows.map((s) => s.scope)])).toEqual([
      ["DB_URL", "workspace", ["team", "organization"]],
      ["SENTRY_DSN", "organization", []],
      ["STRIPE_KEY", "team", []],
    ]);
    expect(resolved[0].winner.id).toBe(ids.ws);
    // Another team's workspace sees its own chain only.
    const other = await resolveWorkspaceSecrets(t.db, { orgId: acme.orgId, workspaceId: searchWs.id, viewer: viewer("olive") });
    expect(other.map((r) => [r.name, r.winner.scope])).toEqual([["DB_URL", "organization"], ["ES_PASSWORD", "workspace"], ["SENTRY_DSN", "organization"]]);
  });

  it("refuses bad input and taken names without echoing the value", async () => {
    const attempt = (input: Record<string, unknown>) => createSecret(t.db, { orgId: acme.orgId, actor: actor("olive"), input: { category: "provider", scope: "organization", ...input } });
    await expect(attempt({ name: "DB_URL", value: "dup-value-123" })).rejects.toMatchObject({ code: "conflict" });
    await expect(attempt({ name: "9BAD", value: "x" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(attempt({ name: "OK_NAME", value: "" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(attempt({ name: "OK_NAME", value: "x".repeat(40_000) })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(attempt({ name: "OK_NAME", value: "x", scope: "workspace" })).rejects.toMatchObject({ code: "validation_failed" });
    // Parallel creations of one new name: exactly one wins, the others are conflicts (never a raw database error).
    const parallel = await Promise.allSettled([1, 2, 3].map(() => attempt({ name: "RACED_NAME", value: "race-value" })));
    expect(parallel.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of parallel) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict" });
    const error = await attempt({ name: "DB_URL", value: "dup-value-123" }).catch((e: unknown) => e);
    expect(JSON.stringify(error) + String(error)).not.toContain("dup-value-123");
  });

  it("a new value gets a fresh data key and version; parallel updates do not lose one silently", async () => {
    const before = await t.db.secret.findUniqueOrThrow({ where: { id: ids.orgOnly } });
    await updateSecret(t.db, { orgId: acme.orgId, id: ids.orgOnly, actor: actor("olive"), input: { value: "dsn-v2" } });
    const after = await t.db.secret.findUniqueOrThrow({ where: { id: ids.orgOnly } });
    expect(after.valueVersion).toBe(before.valueVersion + 1);
    expect(after.wrappedKey).not.toBe(before.wrappedKey);
    expect((await revealSecret(t.db, { orgId: acme.orgId, id: ids.orgOnly, actor: actor("olive"), viewer: viewer("olive") })).value).toBe("dsn-v2");
    const results = await Promise.allSettled(["a", "b", "c"].map((v) => updateSecret(t.db, { orgId: acme.orgId, id: ids.orgOnly, actor: actor("olive"), input: { value: `dsn-${v}` } })));
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const final = await t.db.secret.findUniqueOrThrow({ where: { id: ids.orgOnly } });
    expect(final.valueVersion).toBe(after.valueVersion + ok);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "conflict" });
  });

  it("deletes with an audit event", async () => {
    await deleteSecret(t.db, { orgId: acme.orgId, id: ids.search, actor: actor("olive") });
    expect(await t.db.secret.count({ where: { id: ids.search } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { resourceId: ids.search, action: "secret.deleted" } })).toBe(1);
  });

  it("sets a rotation policy; the list shows due-soon and overdue from the value's last change", async () => {
    await setRotationPolicy(t.db, { orgId: acme.orgId, id: ids.ws, actor: actor("olive"), input: { intervalDays: 30, notifyBeforeDays: 7 } });
    const statusAt = async (daysAfterChange: number) => {
      const row = await t.db.secret.findUniqueOrThrow({ where: { id: ids.ws } });
      const list = await listSecrets(t.db, { orgId: acme.orgId, viewer: viewer("olive"), now: new Date(row.valueChangedAt.getTime() + daysAfterChange * 86_400_000) });
      return list.find((s) => s.id === ids.ws)?.rotation.state;
    };
    expect(await statusAt(1)).toBe("ok");
    expect(await statusAt(25)).toBe("due_soon");
    expect(await statusAt(31)).toBe("overdue");
    await expect(setRotationPolicy(t.db, { orgId: acme.orgId, id: ids.ws, actor: actor("olive"), input: { intervalDays: 7, notifyBeforeDays: 7 } })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(setRotationPolicy(t.db, { orgId: acme.orgId, id: ids.ws, actor: actor("olive"), input: { intervalDays: -1 } })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(setRotationPolicy(t.db, { orgId: globex.orgId, id: ids.ws, actor: actor("olive"), input: { intervalDays: 30 } })).rejects.toMatchObject({ code: "not_found" });
    await setRotationPolicy(t.db, { orgId: acme.orgId, id: ids.ws, actor: actor("olive"), input: { intervalDays: null } });
    expect(await statusAt(400)).toBe("none");
    expect(await t.db.auditEvent.count({ where: { resourceId: ids.ws, action: "secret.rotation_policy_changed" } })).toBe(2);
  });
});
