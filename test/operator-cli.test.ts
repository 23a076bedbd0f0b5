import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import path from "node:path";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { verifyPassword } from "@/lib/server/auth/password";
import { verifyApiKey } from "@/lib/server/api-keys/verify-api-key";

// The real CLI (bin/gatehouse.mjs → tsx scripts/gatehouse.ts) as a child
// process against this file's test database, on SQLite and on PostgreSQL.

const root = path.resolve(__dirname, "..");

function gatehouse(db: TestDb, args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "gatehouse.mjs"), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, APP_ENV: "development", NODE_ENV: "production" },
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

const PASSWORD = "correct horse battery staple";
const count = async (t: TestDb, sql: string, ...params: unknown[]) => Number((await t.sql(sql, ...params))[0]?.n ?? 0);

describe("gatehouse CLI", { timeout: 240_000 }, () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.cleanup());

  it("prints help and refuses unknown commands with exit code 2", async () => {
    const [help, unknown] = await Promise.all([gatehouse(t, ["--help"]), gatehouse(t, ["frobnicate"])]);
    expect(help.code).toBe(0);
    for (const command of ["bootstrap", "keys create", "keys revoke", "audit verify"]) expect(help.stdout).toContain(command);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
  });

  it("never takes the password from argv", async () => {
    const runs = await Promise.all(
      [["--password", PASSWORD], [`--password=${PASSWORD}`], [PASSWORD]].map((args) =>
        gatehouse(t, ["bootstrap", "--email", "owner@cli.test", "--name", "Owen", "--org", "CLI Org", ...args], PASSWORD),
      ),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/never taken from the command line/);
    }
    expect(await count(t, `SELECT COUNT(*) AS n FROM "User"`)).toBe(0);
  });

  it("bootstraps the first owner from a password on stdin, audited as system, and then refuses", async () => {
    const short = await gatehouse(t, ["bootstrap", "--email", "owner@cli.test", "--name", "Owen", "--org", "CLI Org"], "short\n");
    expect(short.code).toBe(2);
    expect(await count(t, `SELECT COUNT(*) AS n FROM "User"`)).toBe(0);

    const run = await gatehouse(t, ["bootstrap", "--email", "Owner@CLI.test", "--name", "Owen", "--org", "CLI Org"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/organization slug: cli-org$/m);
    expect(run.stdout).not.toContain(PASSWORD);
    const [user] = await t.sql(`SELECT "id", "passwordHash" FROM "User" WHERE "email" = ?`, "owner@cli.test");
    expect(await verifyPassword(String(user.passwordHash), PASSWORD)).toBe(true);
    const [membership] = await t.sql(`SELECT m."role" FROM "Membership" m JOIN "Organization" o ON o."id" = m."organizationId" WHERE o."slug" = ? AND m."userId" = ?`, "cli-org", user.id);
    expect(membership.role).toBe("owner");
    const [event] = await t.sql(`SELECT "actorType", "actorLabel" FROM "AuditEvent" WHERE "action" = ?`, "organization.created");
    expect(event).toMatchObject({ actorType: "system", actorLabel: "operator CLI: bootstrap" });

    const again = await gatehouse(t, ["bootstrap", "--email", "mallory@cli.test", "--name", "Mallory", "--org", "Evil"], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already set up/);
    expect(await count(t, `SELECT COUNT(*) AS n FROM "User"`)).toBe(1);
    expect(await count(t, `SELECT COUNT(*) AS n FROM "Organization"`)).toBe(1);
  });

  it("issues keys: refuses an unknown organization, a bad scope, a scope the owner's role cannot hold, an unknown owner", async () => {
    const [org] = await t.sql(`SELECT "id" FROM "Organization" WHERE "slug" = ?`, "cli-org");
    const { users } = await seedOrg(t.db, "Other", [{ email: "mia@cli.test", role: "member" }]);
    await t.db.membership.create({ data: { id: "m-cli-mia", userId: users["mia@cli.test"].userId, organizationId: String(org.id), role: "member" } });
    const keysBefore = await count(t, `SELECT COUNT(*) AS n FROM "ApiKey"`);

    // Refusals change nothing, so they run side by side.
    const [unknownOrg, badScope, roleBound, stranger, badExpiry] = await Promise.all([
      gatehouse(t, ["keys", "create", "--org", "nope", "--name", "ci", "--scopes", "props:read"]),
      gatehouse(t, ["keys", "create", "--org", "cli-org", "--name", "ci", "--scopes", "props:read,props:fly"]),
      gatehouse(t, ["keys", "create", "--org", "cli-org", "--name", "ci", "--scopes", "keys:manage", "--owner", "mia@cli.test"]),
      gatehouse(t, ["keys", "create", "--org", "cli-org", "--name", "ci", "--scopes", "props:read", "--owner", "nobody@cli.test"]),
      gatehouse(t, ["keys", "create", "--org", "cli-org", "--name", "ci", "--scopes", "props:read", "--expires", "soon"]),
    ]);
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toMatch(/No organization has the slug "nope"/);
    expect(badScope.code).toBe(1);
    expect(badScope.stderr).toContain('"props:fly" is not a scope');
    expect(roleBound.code).toBe(1);
    expect(roleBound.stderr).toMatch(/keys:manage/);
    expect(stranger.code).toBe(1);
    expect(badExpiry.code).toBe(2);
    expect(await count(t, `SELECT COUNT(*) AS n FROM "ApiKey"`)).toBe(keysBefore);
  });

  it("issues a key owned by the first owner, prints it once, and revokes it; audited as system", async () => {
    const run = await gatehouse(t, ["keys", "create", "--org", "cli-org", "--name", "deploy bot", "--scopes", "props:read,props:write", "--expires", "30d"]);
    expect(run.code, run.stderr).toBe(0);
    const raw = /key: (gat_\S+)/.exec(run.stdout)?.[1];
    expect(raw).toBeDefined();
    const check = await verifyApiKey(t.db, raw!, null);
    if (!check.ok) throw new Error(`the printed key does not verify: ${check.code}`);
    expect(check.key.ownerRole).toBe("owner");
    expect(check.key.scopes).toEqual(["props:read", "props:write"]);
    expect(Math.abs((check.key.expiresAt ?? 0) - (Date.now() + 30 * 86_400_000))).toBeLessThan(120_000);
    const [created] = await t.sql(`SELECT "actorType" FROM "AuditEvent" WHERE "action" = ? AND "resourceId" = ?`, "api_key.created", check.key.id);
    expect(created.actorType).toBe("system");
    const [stored] = await t.sql(`SELECT "hash" FROM "ApiKey" WHERE "id" = ?`, check.key.id);
    expect(String(stored.hash)).not.toContain(raw!.slice(4));

    const revoke = await gatehouse(t, ["keys", "revoke", check.key.id]);
    expect(revoke.code, revoke.stderr).toBe(0);
    // A server process that had the key cached hears of the CLI's revocation through NOTIFY on
    // PostgreSQL at once; on SQLite (no NOTIFY) when its cache entry goes stale, at most 10 s later.
    const staleAfter = t.provider === "sqlite" ? Date.now() + 11_000 : Date.now();
    let after = await verifyApiKey(t.db, raw!, null, staleAfter);
    for (let i = 0; i < 60 && after.ok; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await verifyApiKey(t.db, raw!, null, staleAfter);
    }
    expect(after.ok ? "ok" : after.code).toBe("key_revoked");
    const [revoked] = await t.sql(`SELECT "actorType" FROM "AuditEvent" WHERE "action" = ? AND "resourceId" = ?`, "api_key.revoked", check.key.id);
    expect(revoked.actorType).toBe("system");

    const [twice, unknown] = await Promise.all([gatehouse(t, ["keys", "revoke", check.key.id]), gatehouse(t, ["keys", "revoke", "no-such-key"])]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already revoked/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No API key has the id/);
  });

  it("revokes a key whose id starts with a dash (base64url ids can), with or without --", async () => {
    for (const [suffix, args] of [
      ["a", (id: string) => ["keys", "revoke", id]],
      ["b", (id: string) => ["keys", "revoke", "--", id]],
    ] as const) {
      const run = await gatehouse(t, ["keys", "create", "--org", "cli-org", "--name", `dash ${suffix}`, "--scopes", "props:read"]);
      expect(run.code, run.stderr).toBe(0);
      const [row] = await t.sql(`SELECT "id" FROM "ApiKey" WHERE "name" = ?`, `dash ${suffix}`);
      const dashed = `-mDash${suffix}${String(row.id).slice(0, 8)}`;
      await t.sql(`UPDATE "ApiKey" SET "id" = ? WHERE "id" = ?`, dashed, row.id);
      const revoke = await gatehouse(t, args(dashed));
      expect(revoke.code, revoke.stderr).toBe(0);
      const [after] = await t.sql(`SELECT "revokedAt" FROM "ApiKey" WHERE "id" = ?`, dashed);
      expect(after.revokedAt).not.toBeNull();
    }
  });

  it("verifies the audit chain, and exits 1 when a row was tampered with", async () => {
    const intact = await gatehouse(t, ["audit", "verify", "--org", "cli-org"]);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/intact: \d+ events checked/);
    const [org] = await t.sql(`SELECT "id" FROM "Organization" WHERE "slug" = ?`, "cli-org");
    // The head it prints is the last event it checked (the one before its own record).
    const [head] = await t.sql(`SELECT "seq", "hash" FROM "AuditEvent" WHERE "chain" = ? ORDER BY "seq" DESC LIMIT 1 OFFSET 1`, org.id);
    expect(intact.stdout).toContain(`Head: #${head.seq} ${head.hash}`);
    const [event] = await t.sql(`SELECT "actorType" FROM "AuditEvent" WHERE "action" = ? ORDER BY "seq" DESC`, "audit.chain_verified");
    expect(event.actorType).toBe("system");

    await t.disableAuditTriggers();
    await t.sql(`UPDATE "AuditEvent" SET "action" = ? WHERE "chain" = ? AND "seq" = 1`, "organization.renamed", org.id);
    const broken = await gatehouse(t, ["audit", "verify", "--org", "cli-org"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken at event #1 \(hash_mismatch\): event \S+, expected [0-9a-f]{64}, found [0-9a-f]{64}/);
    const unknown = await gatehouse(t, ["audit", "verify", "--org", "nope"]);
    expect(unknown.code).toBe(1);
  });
});

describe("gatehouse bootstrap --generate-password", { timeout: 240_000 }, () => {
  it("prints a generated password once, which signs the owner in", async () => {
    const t = await createTestDb();
    try {
      const run = await gatehouse(t, ["bootstrap", "--email", "gen@cli.test", "--name", "Gen", "--org", "Generated Org", "--generate-password"]);
      expect(run.code, run.stderr).toBe(0);
      const password = /password: (\S+)/.exec(run.stdout)?.[1];
      expect(password?.length).toBeGreaterThanOrEqual(20);
      const [user] = await t.sql(`SELECT "passwordHash" FROM "User" WHERE "email" = ?`, "gen@cli.test");
      expect(await verifyPassword(String(user.passwordHash), password!)).toBe(true);
      expect(run.stdout).toMatch(/organization slug: generated-org$/m);
    } finally {
      await t.cleanup();
    }
  });
});
