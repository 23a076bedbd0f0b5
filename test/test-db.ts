import Database from "better-sqlite3";
import pg from "pg";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/server/db/client";
import type { Provider } from "@/lib/db-url";
import { testDbProvider, postgresTemplateName, postgresUrl } from "./test-db-provider";

const SQLITE_MIGRATIONS = path.resolve(__dirname, "..", "prisma", "migrations");

export interface TestDb {
  db: Db;
  provider: Provider;
  /** The database URL, for a second client standing in for another instance or a restarted server. */
  url: string;
  /**
   * Run SQL on a separate raw connection, for what the app must never do
   * (tampering with audit rows) and for assertions. `?` placeholders on both
   * providers. Returns the rows (empty for statements without a result).
   */
  sql: (statement: string, ...params: unknown[]) => Promise<Record<string, unknown>[]>;
  /** Turn the append-only audit triggers off on this database, as an attacker with database access could. */
  disableAuditTriggers: () => Promise<void>;
  cleanup: () => Promise<void>;
}

/**
 * A fresh database with every committed migration applied, reached through the
 * real Prisma client and driver adapter; one per test file. The provider is
 * TEST_DB_PROVIDER (sqlite by default, postgres in the PostgreSQL project,
 * which clones a migrated template database per file).
 */
export async function createTestDb(): Promise<TestDb> {
  return testDbProvider() === "postgres" ? createPostgresTestDb() : createSqliteTestDb();
}

function createSqliteTestDb(): TestDb {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-test-"));
  const file = path.join(dir, "test.db");
  const setup = new Database(file);
  for (const name of readdirSync(SQLITE_MIGRATIONS).filter((n) => !n.endsWith(".toml")).sort()) {
    setup.exec(readFileSync(path.join(SQLITE_MIGRATIONS, name, "migration.sql"), "utf8"));
  }
  setup.close();
  const url = `file:${file}`;
  const db = createDb(url);
  const raw = new Database(file);
  raw.defaultSafeIntegers(false);
  return {
    db,
    provider: "sqlite",
    url,
    async sql(statement, ...params) {
      const stmt = raw.prepare(statement);
      const bound = params.map((p) => (p instanceof Date ? p.toISOString() : typeof p === "boolean" ? Number(p) : p));
      if (stmt.reader) return stmt.all(...bound) as Record<string, unknown>[];
      stmt.run(...bound);
      return [];
    },
    async disableAuditTriggers() {
      raw.exec(`DROP TRIGGER "AuditEvent_no_update"; DROP TRIGGER "AuditEvent_no_delete";`);
    },
    async cleanup() {
      raw.close();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `?` placeholders → `$1, $2, …` (test SQL never contains a literal question mark). */
function numbered(statement: string): string {
  let n = 0;
  return statement.replace(/\?/g, () => `$${++n}`);
}

async function createPostgresTestDb(): Promise<TestDb> {
  const name = `gatehouse_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresUrl("postgres") });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${postgresTemplateName()}"`);
  } finally {
    await admin.end();
  }
  const url = postgresUrl(name);
  const db = createDb(url, { poolSize: 20 });
  const raw = new pg.Client({ connectionString: url });
  await raw.connect();
  return {
    db,
    provider: "postgres",
    url,
    async sql(statement, ...params) {
      return (await raw.query(numbered(statement), params)).rows;
    },
    async disableAuditTriggers() {
      await raw.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    },
    async cleanup() {
      await raw.end();
      await db.$disconnect();
      const dropper = new pg.Client({ connectionString: postgresUrl("postgres") });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export const testRequest = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36" };
