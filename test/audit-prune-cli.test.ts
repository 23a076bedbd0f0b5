import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { computeAuditHash, GENESIS_HASH } from "@/lib/audit-hash";

// The real CLI's `audit prune` and `audit verify-archive`, as a child process, on both databases.
const root = path.resolve(__dirname, "..");
let t: TestDb;
let archiveDir: string;

function gatehouse(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "gatehouse.mjs"), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.url, APP_ENV: "development", NODE_ENV: "production", AUDIT_ARCHIVE_DIR: archiveDir },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end("");
  });
}

beforeAll(async () => {
  t = await createTestDb();
  archiveDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-cli-archive-"));
  const { orgId } = await seedOrg(t.db, "Prune", [{ email: "owner@prune.test", role: "owner" }]);
  await t.db.organization.update({ where: { id: orgId }, data: { slug: "prune-org" } });
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= 6; seq++) {
    const fields = {
      id: `cli${seq}`, chain: orgId, seq, occurredAt: new Date(Date.now() - (seq <= 4 ? 200 - seq : 1) * 86_400_000), organizationId: orgId, actorType: "user", actorId: null, actorLabel: null,
      action: "user.sign_in", resourceType: null, resourceId: null, resourceLabel: null, outcome: "success", ip: null, userAgent: null, sessionId: null, apiKeyId: null, sudoGrantId: null, metadata: "{}", prevHash,
    };
    prevHash = computeAuditHash(fields);
    await t.db.auditEvent.create({ data: { ...fields, hash: prevHash } });
  }
});
afterAll(async () => {
  await t?.cleanup();
  rmSync(archiveDir, { recursive: true, force: true });
});

describe("gatehouse audit prune", { timeout: 240_000 }, () => {
  it("does nothing without a retention, prunes with --days, and the archive and the chain verify", async () => {
    const none = await gatehouse(["audit", "prune"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain("kept forever");

    const bad = await gatehouse(["audit", "prune", "--org", "prune-org", "--days", "7"]);
    expect(bad.code).toBe(1);

    const run = await gatehouse(["audit", "prune", "--org", "prune-org", "--days", "90"]);
    expect(run.code, run.stderr).toBe(0);
    const file = /to (\S+\.jsonl);/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain("events #1 to #4 (4)");
    expect(Number((await t.sql(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "chain" = (SELECT "id" FROM "Organization" WHERE "slug" = ?)`, "prune-org"))[0].n)).toBe(3); // 5, 6 and audit.pruned
    const [pruned] = await t.sql(`SELECT "actorType", "actorLabel" FROM "AuditEvent" WHERE "action" = ?`, "audit.pruned");
    expect(pruned).toMatchObject({ actorType: "system", actorLabel: "operator CLI: audit prune" });

    const archive = await gatehouse(["audit", "verify-archive", file!]);
    expect(archive.code, archive.stderr).toBe(0);
    expect(archive.stdout).toContain("events #1 to #4 (4)");
    const chain = await gatehouse(["audit", "verify", "--org", "prune-org"]);
    expect(chain.code, chain.stderr).toBe(0);

    const edited = path.join(archiveDir, "edited.jsonl");
    writeFileSync(edited, readFileSync(file!, "utf8").replace('"seq":2,', '"seq":3,'));
    const broken = await gatehouse(["audit", "verify-archive", edited]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/does not verify at line 3/);
  });
});
