import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Actor } from "@/lib/server/audit/actor";
import { createTeam } from "@/lib/server/teams/create-team";
import { createWorkspace } from "@/lib/server/teams/create-workspace";
import { deleteWorkspace } from "@/lib/server/teams/delete-workspace";
import { createSecret } from "@/lib/server/secrets/create-secret";
import { deleteSecret } from "@/lib/server/secrets/delete-secret";
import { createResource } from "@/lib/server/resources/create-resource";
import { updateResource } from "@/lib/server/resources/update-resource";
import { deleteResource } from "@/lib/server/resources/delete-resource";
import type { SecretViewer } from "@/lib/server/secrets/secret-access";
import { createJobEnvVar } from "./create-job-env-var";
import { updateJobEnvVar } from "./update-job-env-var";
import { deleteJobEnvVar } from "./delete-job-env-var";
import { listJobEnvVars } from "./list-job-env-vars";
import { effectiveJobEnv } from "./effective-job-env";
import { resolveJobEnv } from "./resolve-job-env";
import { vaultBackend } from "@/lib/server/secrets/backends/vault";
import { startFakeVault } from "@/test/support/fake-vault";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
const OWNER = "olive@acme.test";
const actor = (): Actor => ({ kind: "user", userId: acme.users[OWNER].userId, email: OWNER, sessionId: null, request: testRequest });
const viewer = (): SecretViewer => ({ kind: "member", userId: acme.users[OWNER].userId, role: "owner" });
// Values planted in the vault: they may appear only in the ciphertext columns (sealed), nowhere else.
const SECRET_VALUES = { org: "sv-org-4b1e9c", team: "sv-team-8d2f0a", ws: "sv-ws-61c7e3", api: "sv-api-key-2a9d", nested: "{{secrets.API_KEY}}" };
// Plain Job ENV values: stored in JobEnvVar.value, never in audit metadata or any other table.
const PLAIN = { region: "pv-eu-west-7c31", override: "pv-us-east-91ab" };
let props: { payments: string; bare: string; other: string };
let ws: { prod: string; staging: string };

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: OWNER, role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "gina@globex.test", role: "owner" }]);
  const payments = await createTeam(t.db, { orgId: acme.orgId, name: "Payments", actor: actor() });
  ws = {
    prod: (await createWorkspace(t.db, { orgId: acme.orgId, teamId: payments.id, name: "prod", actor: actor() })).id,
    staging: (await createWorkspace(t.db, { orgId: acme.orgId, teamId: payments.id, name: "staging", actor: actor() })).id,
  };
  const secret = (input: Record<string, unknown>) => createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { category: "infrastructure", ...input } });
  await secret({ name: "DB_URL", value: SECRET_VALUES.org, scope: "organization" });
  await secret({ name: "DB_URL", value: SECRET_VALUES.team, scope: "team", teamId: payments.id });
  await secret({ name: "DB_URL", value: SECRET_VALUES.ws, scope: "workspace", workspaceId: ws.prod });
  await secret({ name: "API_KEY", value: SECRET_VALUES.api, scope: "organization" });
  await secret({ name: "NESTED", value: SECRET_VALUES.nested, scope: "organization" });
  await secret({ name: "PROD_ONLY", value: "sv-prod-only-77", scope: "workspace", workspaceId: ws.prod });
  const prop = async (name: string, fields: Record<string, unknown> = {}) => (await createResource(t.db, { orgId: acme.orgId, type: "prop", actor: actor(), input: { name, ...fields } })).id;
  props = { payments: await prop("payments-api", { workspace_id: ws.prod }), bare: await prop("bare"), other: await prop("other", { workspace_id: ws.staging }) };
});
afterAll(() => t.cleanup());

const create = (input: Record<string, unknown>) => createJobEnvVar(t.db, { orgId: acme.orgId, actor: actor(), input });

describe("Prop workspace (registry field)", () => {
  it("refuses a workspace of another organization or none at all", async () => {
    const foreignTeam = await createTeam(t.db, { orgId: globex.orgId, name: "G", actor: { kind: "system", label: "test" } });
    const foreignWs = await createWorkspace(t.db, { orgId: globex.orgId, teamId: foreignTeam.id, name: "w", actor: { kind: "system", label: "test" } });
    for (const workspace_id of [foreignWs.id, "nope"]) {
      await expect(createResource(t.db, { orgId: acme.orgId, type: "prop", actor: actor(), input: { name: `p-${workspace_id}`, workspace_id } })).rejects.toMatchObject({
        code: "validation_failed",
        details: { fieldErrors: { workspace_id: ["No such workspace in this organization."] } },
      });
    }
  });
});

describe("Job ENV", () => {
  it("an override wins over the organization value for its Prop only", async () => {
    await create({ name: "REGION", value: PLAIN.region });
    await create({ name: "REGION", value: PLAIN.override, prop_id: props.payments });
    const pay = await effectiveJobEnv(t.db, { orgId: acme.orgId, propId: props.payments, viewer: viewer() });
    const region = pay.variables.find((v) => v.name === "REGION")!;
    expect(region).toMatchObject({ source: "override", value: PLAIN.override });
    expect(region.shadows).not.toBeNull();
    const bare = await effectiveJobEnv(t.db, { orgId: acme.orgId, propId: props.bare, viewer: viewer() });
    expect(bare.variables.find((v) => v.name === "REGION")).toMatchObject({ source: "organization", value: PLAIN.region, shadows: null });
    const resolved = await resolveJobEnv(t.db, { orgId: acme.orgId, propId: props.payments, actor: actor(), viewer: viewer() });
    expect(resolved.env.REGION).toBe(PLAIN.override);
  });

  it("a name is set once per target (conflict), and the same name at another target is fine", async () => {
    await expect(create({ name: "REGION", value: "x" })).rejects.toMatchObject({ code: "conflict" });
    const results = await Promise.allSettled([create({ name: "RACE", value: "1" }), create({ name: "RACE", value: "2" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.jobEnvVar.count({ where: { organizationId: acme.orgId, name: "RACE" } })).toBe(1);
  });

  it("resolves {{secrets.NAME}} from the Prop's workspace upward, narrowest wins", async () => {
    await create({ name: "DATABASE_URL", value: "{{secrets.DB_URL}}?sslmode=require" });
    const eff = await effectiveJobEnv(t.db, { orgId: acme.orgId, propId: props.payments, viewer: viewer() });
    const db = eff.variables.find((v) => v.name === "DATABASE_URL")!;
    expect(db.references).toEqual([{ name: "DB_URL", secret: expect.objectContaining({ scope: "workspace", scopeLabel: "Workspace Payments / prod" }) }]);
    expect(JSON.stringify(eff)).not.toContain(SECRET_VALUES.ws);
    const run = (propId: string) => resolveJobEnv(t.db, { orgId: acme.orgId, propId, actor: actor(), viewer: viewer() });
    expect((await run(props.payments)).env.DATABASE_URL).toBe(`${SECRET_VALUES.ws}?sslmode=require`);
    // staging has no DB_URL of its own: its team's wins over the organization's.
    expect((await run(props.other)).env.DATABASE_URL).toBe(`${SECRET_VALUES.team}?sslmode=require`);
    // no workspace: organization secrets only.
    expect((await run(props.bare)).env.DATABASE_URL).toBe(`${SECRET_VALUES.org}?sslmode=require`);
  });

  it("refuses at save a reference the target cannot see, and malformed references", async () => {
    await expect(create({ name: "X1", value: "{{secrets.NOPE}}" })).rejects.toMatchObject({ code: "validation_failed", details: { fieldErrors: { value: [expect.stringContaining("NOPE")] } } });
    // PROD_ONLY lives in the prod workspace: fine for payments-api, not for the staging Prop.
    await expect(create({ name: "X2", value: "{{secrets.PROD_ONLY}}", prop_id: props.other })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(create({ name: "X2", value: "{{secrets.PROD_ONLY}}", prop_id: props.payments })).resolves.toMatchObject({ name: "X2" });
    for (const value of ["{{env.HOME}}", "{{secrets.A", "{{ secrets.1BAD }}"]) await expect(create({ name: "X3", value })).rejects.toMatchObject({ code: "validation_failed" });
    for (const name of ["1ABC", "A-B", "", "A B", "x".repeat(129)]) await expect(create({ name, value: "v" })).rejects.toMatchObject({ code: "validation_failed" });
    // another organization's Prop reads as missing
    const foreign = await createResource(t.db, { orgId: globex.orgId, type: "prop", actor: { kind: "system", label: "t" }, input: { name: "g" } });
    await expect(create({ name: "X4", value: "v", prop_id: foreign.id })).rejects.toMatchObject({ code: "validation_failed", details: { fieldErrors: { prop_id: expect.any(Array) } } });
    expect(await t.db.jobEnvVar.count({ where: { name: { in: ["X1", "X3", "X4"] } } })).toBe(0);
  });

  it("an escaped \\{{ stays literal, and substituted values are never expanded again (no recursion)", async () => {
    await create({ name: "TEMPLATE", value: "\\{{secrets.API_KEY}} and {{secrets.NESTED}}" });
    const { env } = await resolveJobEnv(t.db, { orgId: acme.orgId, propId: props.bare, actor: actor(), viewer: viewer() });
    expect(env.TEMPLATE).toBe("{{secrets.API_KEY}} and {{secrets.API_KEY}}");
    expect(env.TEMPLATE).not.toContain(SECRET_VALUES.api);
  });

  it("refuses at resolve a reference that stopped resolving, decrypting nothing and auditing no resolution", async () => {
    const gone = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { category: "provider", name: "SOON_GONE", value: "sv-gone-1", scope: "organization" } });
    const v = await create({ name: "USES_GONE", value: "{{secrets.SOON_GONE}}", prop_id: props.bare });
    await deleteSecret(t.db, { orgId: acme.orgId, id: gone.id, actor: actor() });
    const before = await t.db.auditEvent.count({ where: { action: "job_env.resolved" } });
    await expect(resolveJobEnv(t.db, { orgId: acme.orgId, propId: props.bare, actor: actor(), viewer: viewer() })).rejects.toMatchObject({
      code: "validation_failed",
      details: { fieldErrors: { USES_GONE: [expect.stringContaining("SOON_GONE")] } },
    });
    expect(await t.db.auditEvent.count({ where: { action: "job_env.resolved" } })).toBe(before);
    await deleteJobEnvVar(t.db, { orgId: acme.orgId, id: v.id, actor: actor() });
    // an update is checked like a creation
    const region = (await listJobEnvVars(t.db, { orgId: acme.orgId })).find((x) => x.name === "REGION" && !x.propId)!;
    await expect(updateJobEnvVar(t.db, { orgId: acme.orgId, id: region.id, actor: actor(), input: { value: "{{secrets.SOON_GONE}}" } })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("a Prop whose workspace was deleted is refused, not resolved from broader scopes", async () => {
    const team = await createTeam(t.db, { orgId: acme.orgId, name: "Temp", actor: actor() });
    const tmp = await createWorkspace(t.db, { orgId: acme.orgId, teamId: team.id, name: "tmp", actor: actor() });
    const p = await createResource(t.db, { orgId: acme.orgId, type: "prop", actor: actor(), input: { name: "tmp-prop", workspace_id: tmp.id } });
    await deleteWorkspace(t.db, { orgId: acme.orgId, workspaceId: tmp.id, actor: actor() });
    await expect(resolveJobEnv(t.db, { orgId: acme.orgId, propId: p.id, actor: actor(), viewer: viewer() })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("another organization's Prop or variable reads as missing", async () => {
    const g = { kind: "system", label: "t" } as const;
    await expect(resolveJobEnv(t.db, { orgId: globex.orgId, propId: props.payments, actor: g, viewer: { kind: "system" } })).rejects.toMatchObject({ code: "not_found" });
    const mine = (await listJobEnvVars(t.db, { orgId: acme.orgId }))[0];
    await expect(updateJobEnvVar(t.db, { orgId: globex.orgId, id: mine.id, actor: g, input: { value: "hijack" } })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteJobEnvVar(t.db, { orgId: globex.orgId, id: mine.id, actor: g })).rejects.toMatchObject({ code: "not_found" });
    expect((await t.db.jobEnvVar.findUniqueOrThrow({ where: { id: mine.id } })).value).not.toBe("hijack");
  });

  it("renames and updates are audited with names; deleting a Prop removes its overrides", async () => {
    const v = await create({ name: "OLD_NAME", value: "pv-old", prop_id: props.other });
    await updateJobEnvVar(t.db, { orgId: acme.orgId, id: v.id, actor: actor(), input: { name: "NEW_NAME", value: "pv-new" } });
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { action: "job_env.updated", resourceId: v.id } });
    expect(JSON.parse(ev.metadata ?? "{}")).toMatchObject({ changed: "name,value", previous_name: "OLD_NAME", target: "prop:other" });
    await deleteResource(t.db, { orgId: acme.orgId, type: "prop", id: props.other, actor: actor() });
    expect(await t.db.jobEnvVar.count({ where: { propId: props.other } })).toBe(0);
  });

  it("audit rows name variables and secrets but hold no value; no planted value outside its own column in any table", async () => {
    await resolveJobEnv(t.db, { orgId: acme.orgId, propId: props.payments, actor: actor(), viewer: viewer() });
    const resolved = await t.db.auditEvent.findFirstOrThrow({ where: { action: "job_env.resolved", resourceId: props.payments }, orderBy: { seq: "desc" } });
    const meta = JSON.parse(resolved.metadata ?? "{}");
    expect(meta.names.split(",")).toEqual(expect.arrayContaining(["DATABASE_URL", "REGION"]));
    expect(meta.references).toContain("DB_URL@workspace:");
    const tables =
      t.provider === "sqlite"
        ? (await t.sql(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'`)).map((r) => String(r.name))
        : (await t.sql(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_prisma%'`)).map((r) => String(r.name));
    expect(tables).toEqual(expect.arrayContaining(["AuditEvent", "JobEnvVar", "Secret", "WebhookEvent"]));
    for (const table of tables) {
      const rows = await t.sql(`SELECT * FROM "${table}"`);
      const allowed = table === "Secret" ? ["ciphertext", "wrappedKey"] : table === "JobEnvVar" ? ["value"] : [];
      const text = JSON.stringify(rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !allowed.includes(k)))));
      for (const v of Object.values(SECRET_VALUES).slice(0, 4)) expect(text, `${table} holds a secret value`).not.toContain(v);
      for (const v of Object.values(PLAIN)) expect(text, `${table} holds a plain Job ENV value`).not.toContain(v);
    }
  });

  it("resolves a reference whose value lives in an external backend (HashiCorp Vault over its HTTP API), through that backend", async () => {
    const vault = await startFakeVault({ token: "hvs.job-env-test" });
    try {
      const backend = vaultBackend({ address: vault.url, auth: { method: "token", token: "hvs.job-env-test" }, mount: "secret", prefix: "gatehouse/" });
      await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { category: "provider", name: "VAULT_HELD", value: "sv-in-vault-5e1d", scope: "organization" }, backend });
      await create({ name: "FROM_VAULT", value: "token={{secrets.VAULT_HELD}}" });
      const { env } = await resolveJobEnv(t.db, { orgId: acme.orgId, propId: props.bare, actor: actor(), viewer: viewer(), backend });
      expect(env.FROM_VAULT).toBe("token=sv-in-vault-5e1d");
      // The row keeps a reference only; with the database backend configured the value is not readable.
      expect(JSON.stringify(await t.db.secret.findFirstOrThrow({ where: { organizationId: acme.orgId, name: "VAULT_HELD" } }))).not.toContain("sv-in-vault-5e1d");
      await expect(resolveJobEnv(t.db, { orgId: acme.orgId, propId: props.bare, actor: actor(), viewer: viewer() })).rejects.toThrow(/stored in vault/);
    } finally {
      await vault.close();
    }
  });
});
