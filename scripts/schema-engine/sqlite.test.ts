import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { expectSuccess, prisma, root } from "./test-helpers";

const migrationNames = readdirSync(path.join(root, "prisma", "migrations")).filter((name) =>
  statSync(path.join(root, "prisma", "migrations", name)).isDirectory(),
);

describe("the offline schema engine on SQLite", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-sqlite-engine-"));
  // A directory that does not exist yet: SQLite creates files, the engine creates the rest.
  const file = path.join(dir, "nested", "gatehouse.db");
  const env = { DATABASE_URL: `file:${file}` };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("deploys every migration to a new database file", { timeout: 90_000 }, async () => {
    const result = expectSuccess(await prisma(["migrate", "deploy"], env));
    expect(result.output).toContain("SQLite database gatehouse.db created");
    expect(result.output).toContain("All migrations have been successfully applied.");

    const db = new Database(file, { readonly: true });
    try {
      const applied = db
        .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`)
        .pluck()
        .all();
      expect(applied).toEqual(migrationNames.sort());
      expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'AuditEvent'`).pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it("reports the deployed database as up to date", { timeout: 90_000 }, async () => {
    const result = expectSuccess(await prisma(["migrate", "status"], env));
    expect(result.output).toContain("Database schema is up to date!");
  });
});
