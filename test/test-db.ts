import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "@/lib/server/db/client";

const MIGRATIONS = path.resolve(__dirname, "..", "prisma", "migrations");

export interface TestDb {
  db: Db;
  file: string;
  /** A raw connection to the same file, for assertions the app must never make (e.g. UPDATE on audit rows). */
  raw: () => Database.Database;
  cleanup: () => Promise<void>;
}

/**
 * A fresh SQLite file with every committed migration applied, reached through
 * the real Prisma client and driver adapter. One per test file.
 */
export function createTestDb(): TestDb {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-test-"));
  const file = path.join(dir, "test.db");
  const setup = new Database(file);
  for (const name of readdirSync(MIGRATIONS).filter((n) => !n.endsWith(".toml")).sort()) {
    setup.exec(readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8"));
  }
  setup.close();
  const db = createDb(`file:${file}`);
  const opened: Database.Database[] = [];
  return {
    db,
    file,
    raw: () => {
      const conn = new Database(file);
      opened.push(conn);
      return conn;
    },
    cleanup: async () => {
      for (const c of opened) c.close();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const testRequest = { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36" };
