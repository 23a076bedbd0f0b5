import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { masterKeyId, openSecretValue } from "@/lib/crypto/envelope";
import { createSecret } from "@/lib/server/secrets/create-secret";
import { rewrapVault } from "@/lib/server/secrets/rewrap-vault";
import type { Actor } from "@/lib/server/audit/actor";

// The real operator CLI against this file's database: secret set/list and the
// master-key rotation (vault rewrap) with two keys, on SQLite and PostgreSQL.

const root = path.resolve(__dirname, "..");
const OLD = Buffer.from(process.env.GATEHOUSE_MASTER_KEY ?? "", "base64");
const NEW = Buffer.alloc(32, 42);
const b64 = (b: Buffer) => b.toString("base64");

function gatehouse(db: TestDb, args: string[], stdin = "", env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "gatehouse.mjs"), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, APP_ENV: "development", NODE_ENV: "production", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("gatehouse secret and vault commands", { timeout: 240_000 }, () => {
  let t: TestDb;
  let org: Awaited<ReturnType<typeof seedOrg>>;
  let slug: string;
  beforeAll(async () => {
    t = await createTestDb();
    org = await seedOrg(t.db, "Vaulty", [{ email: "olive@vaulty.test", role: "owner" }]);
    slug = (await t.db.organization.findUniqueOrThrow({ where: { id: org.orgId } })).slug;
  });
  afterAll(() => t.cleanup());

  it("sets a secret from stdin (never argv), lists names only, and never prints the value", async () => {
    const refused = await gatehouse(t, ["secret", "set", "API_TOKEN", "--org", slug, "--value", "argv-value-1"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/never taken from the command line/);
    const set = await gatehouse(t, ["secret", "set", "API_TOKEN", "--org", slug, "--category", "integration"], "line one\nline two\n");
    expect(set.code, set.stderr).toBe(0);
    const again = await gatehouse(t, ["secret", "set", "API_TOKEN", "--org", slug], "piped-value-2\n");
    expect(again.stdout).toContain("Updated API_TOKEN");
    const list = await gatehouse(t, ["secret", "list", "--org", slug]);
    expect(list.stdout).toMatch(/API_TOKEN\tOrganization\tintegration/);
    for (const out of [set, again, list]) expect(out.stdout + out.stderr).not.toMatch(/line one|piped-value-2/);
    const row = await t.db.secret.findFirstOrThrow({ where: { organizationId: org.orgId, name: "API_TOKEN" } });
    expect(openSecretValue([OLD], row, row)).toBe("piped-value-2");
    expect(row.valueVersion).toBe(2);
    const actions = (await t.sql(`SELECT "action", "actorType" FROM "AuditEvent" WHERE "resourceId" = ? ORDER BY "seq"`, row.id)).map((e) => `${e.actorType}:${e.action}`);
    expect(actions).toEqual(["system:secret.created", "system:secret.updated"]);
  });

  it("rewraps under a new master key, resumably, with progress and an audit event; values stay readable", async () => {
    const actor: Actor = { kind: "user", userId: org.users["olive@vaulty.test"].userId, email: "olive@vaulty.test", sessionId: null, request: testRequest };
    for (let i = 0; i < 7; i++) await createSecret(t.db, { orgId: org.orgId, actor, input: { name: `S_${i}`, category: "agent", value: `value-${i}`, scope: "organization" } });
    // An interrupted run: three rows move, the rest stay under the old key and still open with either key configured.
    const partial = await rewrapVault(t.db, { current: NEW, previous: [OLD], actor: { kind: "system", label: "test" }, batchSize: 2, maxRows: 3 });
    expect(partial).toMatchObject({ total: 8, rewrapped: 3, failed: [] });
    expect(await t.db.secret.count({ where: { masterKeyId: masterKeyId(NEW) } })).toBe(3);

    // Without the previous key, nothing under the old key can be opened: the CLI says so and exits 1.
    const withoutPrevious = await gatehouse(t, ["vault", "rewrap"], "", { GATEHOUSE_MASTER_KEY: b64(NEW) });
    expect(withoutPrevious.code).toBe(1);
    expect(withoutPrevious.stderr).toMatch(/5 secrets could not be opened/);

    const run = await gatehouse(t, ["vault", "rewrap", "--batch", "2"], "", { GATEHOUSE_MASTER_KEY: b64(NEW), GATEHOUSE_MASTER_KEY_PREVIOUS: b64(OLD) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/rewrapped 2 of 5/);
    expect(run.stdout).toContain("Rewrapped 5 of 5");
    const rows = await t.db.secret.findMany({ where: { organizationId: org.orgId } });
    expect(rows.every((r) => r.masterKeyId === masterKeyId(NEW))).toBe(true);
    for (const r of rows.filter((r) => r.name.startsWith("S_"))) expect(openSecretValue([NEW], r, r)).toBe(`value-${r.name.slice(2)}`);
    expect(() => openSecretValue([OLD], rows[0], rows[0])).toThrow();
    const audit = await t.sql(`SELECT "metadata", "actorLabel" FROM "AuditEvent" WHERE "action" = 'vault.rewrapped' AND "organizationId" = ?`, org.orgId);
    expect(audit.map((a) => JSON.parse(String(a.metadata)).rewrapped).reduce((x: number, y: number) => x + y, 0)).toBe(8);
    // Nothing left: a second run is a no-op.
    const again = await gatehouse(t, ["vault", "rewrap"], "", { GATEHOUSE_MASTER_KEY: b64(NEW) });
    expect(again.stdout).toContain("Rewrapped 0 of 0");
  });
});
