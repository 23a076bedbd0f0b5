// SQLite through better-sqlite3: where the database lives, what "create" and
// "reset" mean for a file, and the adapter factory the wasm engine drives.

import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";

import { MIGRATIONS_TABLE } from "./compat-adapter.mjs";
import { errorMessage, log } from "./log.mjs";

/** @typedef {import("./args.mjs").DatasourceConfig} DatasourceConfig */
/** @typedef {import("./provider.mjs").DatabaseProvider} DatabaseProvider */
/** @typedef {import("@prisma/driver-adapter-utils").SqlDriverAdapter} SqlDriverAdapter */
/** @typedef {{ kind: "memory" } | { kind: "file", filePath: string }} SqliteLocation */

/** The native engine's DDL, for when the shim has to create the table itself. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "${MIGRATIONS_TABLE}" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

/**
 * @param {DatasourceConfig | undefined} datasource
 * @returns {DatabaseProvider}
 */
export function sqliteProvider(datasource) {
  // Commands that need no database (e.g. `migrate diff --from-empty
  // --to-schema`) may run without a datasource: give those an in-memory one
  // rather than failing before the engine has even looked at the request.
  const main = datasource?.url ? sqliteLocation(datasource.url) : /** @type {SqliteLocation} */ ({ kind: "memory" });
  const shadow = datasource?.shadowDatabaseUrl ? sqliteLocation(datasource.shadowDatabaseUrl) : undefined;
  return {
    migrationsTableSql: MIGRATIONS_TABLE_DDL,
    createAdapterFactory: () =>
      new PrismaBetterSqlite3({ url: adapterUrl(main) }, shadow ? { shadowDatabaseUrl: adapterUrl(shadow) } : undefined),
    createDatabase: async () => createSqliteDatabase(main),
    checkConnection: async () => checkSqliteConnection(main),
    async reset({ factory }) {
      if (!factory.main) throw new Error("The schema engine has no database connection to reset.");
      await resetSqliteDatabase(factory.main);
    },
    // The engine's one connection holds SQLite's exclusive lock while it migrates.
    withMigrationLock: (run) => run(),
  };
}

/**
 * Turns a Prisma SQLite URL into a location. Relative paths are resolved against
 * the working directory, which the CLI sets to the directory of prisma.config.ts
 * (the repository root here), the same base the app's adapter uses at run time.
 *
 * @param {string} url
 * @returns {SqliteLocation}
 */
function sqliteLocation(url) {
  // Query parameters (`?connection_limit=1`, ...) mean something to the native
  // engine's pool, nothing to a single better-sqlite3 handle.
  const withoutQuery = url.split("?")[0];
  let filePath = withoutQuery.replace(/^file:/, "");
  if (filePath.startsWith("//")) filePath = fileURLToPath(withoutQuery);
  if (filePath === ":memory:" || filePath === "") return { kind: "memory" };
  return { kind: "file", filePath: path.resolve(process.cwd(), filePath) };
}

/** @param {SqliteLocation} location */
function adapterUrl(location) {
  return location.kind === "memory" ? ":memory:" : location.filePath;
}

/**
 * SQLite creates the database file on first open but not its directory; this
 * is what "create database" means for SQLite.
 *
 * @param {SqliteLocation} location
 * @returns {string} the database name, as the native engine reports it (the file path)
 */
function createSqliteDatabase(location) {
  if (location.kind === "memory") return ":memory:";
  mkdirSync(path.dirname(location.filePath), { recursive: true });
  new Database(location.filePath).close();
  return location.filePath;
}

/**
 * @param {SqliteLocation} location
 * @returns {{ code: string, message: string } | null} a user-facing error, or null if reachable
 */
function checkSqliteConnection(location) {
  if (location.kind === "memory") return null;
  // The native engine answers P1003 for a missing file; that is the signal the
  // CLI waits for before it asks for `create-database` (and prints "SQLite
  // database ... created"). Opening the file here would create it silently.
  if (!existsSync(location.filePath)) {
    return {
      code: "P1003",
      message: `Database \`${path.basename(location.filePath)}\` does not exist at \`${location.filePath}\`.`,
    };
  }
  try {
    const db = new Database(location.filePath, { fileMustExist: true, readonly: true });
    try {
      // Reads the header, so a file that is not a database fails here.
      db.pragma("schema_version");
    } finally {
      db.close();
    }
    return null;
  } catch (error) {
    return { code: "P1001", message: `Can't open the SQLite database at \`${location.filePath}\`: ${errorMessage(error)}` };
  }
}

/**
 * `migrate reset` (and `migrate dev` when it must reset) expects an empty
 * database afterwards. The native engine truncates the SQLite file; the wasm
 * engine only deletes the rows, leaving tables that the re-applied migrations
 * then fail to create. Drop every schema object instead, on the engine's own
 * connection (it holds SQLite's exclusive lock), which leaves the same empty
 * database as truncation. Like the native hard reset, this ignores the
 * external-tables filter.
 *
 * @param {SqlDriverAdapter} connection
 */
async function resetSqliteDatabase(connection) {
  /** @param {string} sql */
  const query = (sql) => connection.queryRaw({ sql, args: [], argTypes: [] });
  /** @param {unknown} name */
  const quote = (name) => `"${String(name).replaceAll('"', '""')}"`;

  const objects = await query(
    "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view', 'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
  );
  const hasSequences = (await query("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).rows.length > 0;
  const [[foreignKeys]] = (await query("PRAGMA foreign_keys")).rows;

  const order = ["trigger", "view", "table"];
  const drops = objects.rows
    .map(([type, name]) => ({ type: String(type), name }))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
    .map(({ type, name }) => `DROP ${type.toUpperCase()} IF EXISTS ${quote(name)};`);

  log("INFO", `Resetting the database: dropping ${drops.length} schema objects.`);
  // Foreign keys off, so that dropping a referenced table neither cascades nor
  // fails; VACUUM hands the freed pages back, as truncating the file would.
  await connection.executeScript(
    [
      "PRAGMA foreign_keys = OFF;",
      "BEGIN;",
      ...drops,
      ...(hasSequences ? ["DELETE FROM sqlite_sequence;"] : []),
      "COMMIT;",
      `PRAGMA foreign_keys = ${Number(foreignKeys) ? "ON" : "OFF"};`,
      "VACUUM;",
    ].join("\n"),
  );
}
