#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, built on the WebAssembly
// schema engine (@prisma/schema-engine-wasm) and the better-sqlite3 driver adapter.
//
// Why: the Prisma CLI downloads a native schema engine for `generate`, `migrate *`,
// `validate`, ... and this project's machines have no route to that download.
// The CLI accepts PRISMA_SCHEMA_ENGINE_BINARY=<executable>; scripts/prisma.mjs
// points it here. The CLI then talks to this process exactly as it would to the
// native engine:
//
//   schema-engine --datamodels <file>... [--datasource <json>]   JSON-RPC 2.0 server,
//       one JSON object per line on stdin/stdout; logs are JSON lines on stderr.
//   schema-engine --datasource <json> cli can-connect-to-database|create-database
//       one-shot commands; exit code 0 on success, 1 with a JSON error line on stderr.
//   schema-engine --version
//
// Only SQLite is supported (that is the project's database). stdout carries nothing
// but JSON-RPC messages, because the CLI parses every stdout line as one.
//
// The wasm engine is not a drop-in replacement for the native one. The gaps
// found so far, and where each is bridged (search for the name):
//   - missing `_prisma_migrations` table reported as P1014  MigrationsTableGuard
//   - whole migration scripts sent through `executeRaw`     EngineCompatAdapter
//   - evaluateDataLoss/createMigration lacking a shadow DB  withWarmMigrationSchemaCache
//   - `reset` deleting rows but keeping tables              resetSqliteDatabase
//   - `diff` output returned instead of printed             methods.diff
//   - panic when started without --datamodels               startEngine

import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { format } from "node:util";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import Database from "better-sqlite3";

/** @typedef {import("@prisma/driver-adapter-utils").SqlDriverAdapter} SqlDriverAdapter */
/** @typedef {import("@prisma/driver-adapter-utils").SqlMigrationAwareDriverAdapterFactory} SqlMigrationAwareDriverAdapterFactory */
/** @typedef {import("@prisma/driver-adapter-utils").SqlQuery} SqlQuery */
/** @typedef {import("@prisma/driver-adapter-utils").SqlResultSet} SqlResultSet */
/** @typedef {import("@prisma/driver-adapter-utils").IsolationLevel} IsolationLevel */
/** @typedef {import("@prisma/schema-engine-wasm").SchemaEngine} SchemaEngine */

/** @typedef {{ url?: string, shadowDatabaseUrl?: string }} DatasourceConfig */
/** @typedef {{ kind: "memory" } | { kind: "file", filePath: string }} SqliteLocation */
/** @typedef {{ jsonrpc?: string, id?: string | number | null, method?: unknown, params?: unknown, result?: unknown, error?: unknown }} RpcRequest */

const MIGRATIONS_TABLE = "_prisma_migrations";
const LOG_TARGET = "schema_engine_shim";

// JSON-RPC code the native engine uses for every engine-level failure; the CLI
// only looks at `error.data` (`message`, `error_code`, `is_panic`, `meta`).
const ENGINE_ERROR_CODE = 4466;
// Exit code of a Rust panic; the CLI turns it into its "engine crashed" report.
const PANIC_EXIT_CODE = 101;

// ---------------------------------------------------------------------------
// Logging: JSON lines on stderr in the native engine's tracing format. The CLI
// parses them (`fields.message`, `level`), shows them in its debug output, and
// uses the last ERROR line when the engine exits unexpectedly.

/**
 * @param {"ERROR" | "WARN" | "INFO" | "DEBUG"} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 * @param {string} [target]
 */
function log(level, message, fields = {}, target = LOG_TARGET) {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

// Node prints its own warnings as plain text on stderr; in `cli` mode the CLI
// parses every stderr line after the first as JSON and would choke on them.
process.removeAllListeners("warning");
process.on("warning", (warning) => log("WARN", warning.message, { name: warning.name }));

// Nothing but JSON-RPC may reach stdout, whichever dependency calls console.*.
for (const method of /** @type {const} */ (["log", "info", "debug", "warn"])) {
  console[method] = (...args) => log(method === "warn" ? "WARN" : "DEBUG", format(...args));
}

// ---------------------------------------------------------------------------
// Arguments

/**
 * @typedef {object} EngineArgs
 * @property {string[]} datamodels
 * @property {DatasourceConfig | undefined} datasource
 * @property {string | undefined} cliCommand
 * @property {boolean} version
 */

/** @param {string[]} argv @returns {EngineArgs} */
function parseArgs(argv) {
  /** @type {EngineArgs} */
  const args = { datamodels: [], datasource: undefined, cliCommand: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`Missing value for ${arg}`);
      return next;
    };
    switch (arg) {
      case "--datamodels":
        args.datamodels.push(value());
        break;
      case "--datasource":
        args.datasource = /** @type {DatasourceConfig} */ (JSON.parse(value()));
        break;
      case "--enabled-preview-features":
      case "--extension-types":
        // The wasm engine takes preview features from the schema's generator
        // block, and the project uses no extensions; accept and ignore.
        log("DEBUG", `Ignoring ${arg}`, { value: value() });
        break;
      case "-V":
      case "--version":
        args.version = true;
        break;
      case "cli":
        args.cliCommand = argv[++i];
        if (args.cliCommand === undefined) throw new Error("Missing subcommand after `cli`");
        break;
      default:
        log("WARN", `Ignoring unknown argument ${arg}`);
    }
  }
  return args;
}

// ---------------------------------------------------------------------------
// SQLite locations

/**
 * Turns a Prisma SQLite URL into a location. Relative paths are resolved against
 * the working directory, which the CLI sets to the directory of prisma.config.ts
 * (the repository root here), the same base the app's adapter uses at run time.
 *
 * @param {string | undefined} url
 * @returns {SqliteLocation}
 */
function sqliteLocation(url) {
  if (!url) {
    throw new Error("No datasource URL: set datasource.url in prisma.config.ts (DATABASE_URL).");
  }
  if (!url.startsWith("file:") && url !== ":memory:") {
    throw new Error(
      `This schema engine shim only supports SQLite \`file:\` URLs; got \`${url.split(":")[0]}:\`.`,
    );
  }
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

// ---------------------------------------------------------------------------
// `cli` subcommands

/**
 * @param {string} command
 * @param {DatasourceConfig | undefined} datasource
 * @returns {number} exit code
 */
function runCliCommand(command, datasource) {
  // The CLI skips the first stderr line before reading errors (the native
  // engine always logs one "Starting" line first), so keep that shape.
  log("INFO", "Starting schema engine CLI", {}, "schema_engine");
  try {
    const location = sqliteLocation(datasource?.url);
    switch (command) {
      case "can-connect-to-database": {
        const failure = checkSqliteConnection(location);
        if (failure) return cliError(failure.code, failure.message);
        return 0;
      }
      case "create-database": {
        const name = createSqliteDatabase(location);
        log("INFO", `Database '${name}' was successfully created.`);
        return 0;
      }
      default:
        return cliError(undefined, `Unsupported schema engine CLI command: ${command}`);
    }
  } catch (error) {
    return cliError(undefined, errorMessage(error));
  }
}

/**
 * One ERROR line with this target is what the CLI extracts `error_code` and
 * `message` from after a failed `cli` command.
 *
 * @param {string | undefined} code
 * @param {string} message
 */
function cliError(code, message) {
  log("ERROR", message, code ? { error_code: code } : {}, "schema_engine::logger");
  return 1;
}

// ---------------------------------------------------------------------------
// Where the wasm engine and the better-sqlite3 adapter disagree with the
// native engine, the adapter wrapper below bridges the gap:
//
// 1. A missing `_prisma_migrations` table. The native engine treats "no such
//    table" as "migrations table not initialised" (an empty history,
//    `hasMigrationsTable: false`). The wasm engine surfaces the adapter's
//    TableDoesNotExist error as P1014 instead, so `migrate dev`, `migrate
//    status` and friends fail on a fresh database. The wrapper answers that one
//    query with an empty result set, the history the native engine would have
//    assumed, and records that it did so, so the RPC layer can still report
//    `hasMigrationsTable: false`. Only `markMigrationApplied` needs the table
//    to really exist afterwards (the native engine creates it at that point,
//    for baselining), so for that call the wrapper creates it instead.
//
// 2. Multi-statement scripts. When replaying migrations on the shadow
//    database, the wasm engine sends each whole migration.sql through
//    `executeRaw`, which better-sqlite3 prepares as a single statement and
//    rejects ("contains more than one statement"). The native engine runs such
//    scripts as a batch; the wrapper does the same via `executeScript`.
//
// (A third gap, in `evaluateDataLoss` / `createMigration`, is bridged at the
// RPC level: see withWarmMigrationSchemaCache.)

/** @typedef {"report-empty" | "create"} MissingTablePolicy */

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

const TEXT_COLUMN = 7; // ColumnTypeEnum.Text in @prisma/driver-adapter-utils

/** Per-RPC-call state for wrinkle 1, shared by every connection of the engine. */
class MigrationsTableGuard {
  /** @type {MissingTablePolicy} */
  policy = "report-empty";
  sawMissingTable = false;

  /** @param {MissingTablePolicy} policy */
  beginCall(policy) {
    this.policy = policy;
    this.sawMissingTable = false;
  }

  /**
   * @param {SqlQuery} query
   * @param {unknown} error
   */
  isMissingMigrationsTable(query, error) {
    if (!(error instanceof Error) || error.name !== "DriverAdapterError") return false;
    const cause = /** @type {{ kind?: string, table?: string }} */ (error.cause ?? {});
    return (
      cause.kind === "TableDoesNotExist" &&
      (cause.table ?? "").replace(/^main\./, "") === MIGRATIONS_TABLE &&
      /^\s*SELECT\b/i.test(query.sql) &&
      new RegExp(`\\bFROM\\s+[\`"]?${MIGRATIONS_TABLE}[\`"]?`, "i").test(query.sql)
    );
  }

  /**
   * @param {SqlQuery} query
   * @param {SqlDriverAdapter} adapter the connection the query failed on
   * @returns {Promise<SqlResultSet>}
   */
  async substitute(query, adapter) {
    this.sawMissingTable = true;
    if (this.policy === "create") {
      log("INFO", `Creating the missing ${MIGRATIONS_TABLE} table before recording a migration.`);
      await adapter.executeScript(MIGRATIONS_TABLE_DDL);
    }
    const selectList = /^\s*SELECT\s+([\s\S]*?)\s+FROM\b/i.exec(query.sql)?.[1] ?? "";
    const columnNames = selectList.split(",").map((column) => column.trim().replace(/^[`"]|[`"]$/g, ""));
    return { columnNames, columnTypes: columnNames.map(() => TEXT_COLUMN), rows: [] };
  }
}

/** @param {unknown} error */
function isMultiStatementRejection(error) {
  return error instanceof RangeError && error.message.includes("more than one statement");
}

/**
 * Delegates to a better-sqlite3 adapter, with the two fixes described above.
 * Transactions pass through untouched: the engine reads the migrations table
 * and replays migration scripts outside of them.
 *
 * @implements {SqlDriverAdapter}
 */
class EngineCompatAdapter {
  disposed = false;

  /**
   * @param {SqlDriverAdapter} inner
   * @param {MigrationsTableGuard | undefined} guard only for the main database;
   *   the migrations table of a shadow database says nothing about the history
   */
  constructor(inner, guard) {
    this.inner = inner;
    this.guard = guard;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  /** @param {SqlQuery} query */
  async queryRaw(query) {
    try {
      return await this.inner.queryRaw(query);
    } catch (error) {
      if (this.guard?.isMissingMigrationsTable(query, error)) return this.guard.substitute(query, this.inner);
      throw error;
    }
  }

  /** @param {SqlQuery} query */
  async executeRaw(query) {
    try {
      return await this.inner.executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !isMultiStatementRejection(error)) throw error;
      await this.inner.executeScript(query.sql);
      return 0; // callers of a raw script do not use the row count
    }
  }

  /** @param {string} script */
  executeScript(script) {
    return this.inner.executeScript(script);
  }

  /** @param {IsolationLevel} [isolationLevel] */
  startTransaction(isolationLevel) {
    return this.inner.startTransaction(isolationLevel);
  }

  async dispose() {
    // Both the engine and our shutdown path may dispose the same connection.
    if (this.disposed) return;
    this.disposed = true;
    await this.inner.dispose();
  }
}

/** @implements {SqlMigrationAwareDriverAdapterFactory} */
class EngineCompatAdapterFactory {
  /** @type {EngineCompatAdapter[]} */
  connections = [];

  /**
   * The engine's connection to the main database (it opens one at start).
   * @type {EngineCompatAdapter | undefined}
   */
  main;

  /** @param {PrismaBetterSqlite3} inner @param {MigrationsTableGuard} guard */
  constructor(inner, guard) {
    this.inner = inner;
    this.guard = guard;
    /** @type {SqlMigrationAwareDriverAdapterFactory["provider"]} */
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  async connect() {
    this.main = this.#track(new EngineCompatAdapter(await this.inner.connect(), this.guard));
    return this.main;
  }

  async connectToShadowDb() {
    return this.#track(new EngineCompatAdapter(await this.inner.connectToShadowDb(), undefined));
  }

  /** Closes every connection handed out, releasing SQLite's exclusive lock. */
  async disposeAll() {
    await Promise.allSettled(this.connections.map((connection) => connection.dispose()));
  }

  /** @param {EngineCompatAdapter} connection */
  #track(connection) {
    this.connections.push(connection);
    return connection;
  }
}

// ---------------------------------------------------------------------------
// The wasm engine

/** The bindings report a Rust panic's message here before the wasm traps. */
class PanicRegistry {
  message = "";

  /** @param {string} message */
  set_message(message) {
    this.message = message;
  }
}

const panicRegistry = new PanicRegistry();

/**
 * A panic surfaces in JS as a WebAssembly.RuntimeError ("unreachable"); the
 * Rust message is in the registry.
 *
 * @param {unknown} error
 */
function describeFailure(error) {
  const panicked = error instanceof WebAssembly.RuntimeError;
  return { panicked, message: (panicked && panicRegistry.message) || errorMessage(error) };
}

/**
 * wasm-bindgen's `schema_engine.js` entry imports the .wasm file as an ES module,
 * which Node does not support without a flag; instantiate it by hand instead.
 */
async function loadWasmEngineModule() {
  // The bindings look this global up by name (the CLI defines the same one).
  Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: panicRegistry });

  const wasmUrl = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const module = await WebAssembly.compile(readFileSync(wasmUrl));
  const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": wasmBindings });
  wasmBindings.__wbg_set_wasm(instance.exports);
  /** @type {{ __wbindgen_start: () => void }} */ (/** @type {unknown} */ (instance.exports)).__wbindgen_start();
}

/**
 * @param {string[]} datamodelPaths
 * @param {DatasourceConfig | undefined} datasource
 */
async function startEngine(datamodelPaths, datasource) {
  await loadWasmEngineModule();
  const guard = new MigrationsTableGuard();

  // Commands that need no database (e.g. `migrate diff --from-empty
  // --to-schema`) may run without a datasource: give those an in-memory one
  // rather than failing before the engine has even looked at the request.
  const mainLocation = datasource?.url ? sqliteLocation(datasource.url) : /** @type {SqliteLocation} */ ({ kind: "memory" });
  const shadowLocation = datasource?.shadowDatabaseUrl ? sqliteLocation(datasource.shadowDatabaseUrl) : undefined;
  const factory = new EngineCompatAdapterFactory(
    new PrismaBetterSqlite3(
      { url: adapterUrl(mainLocation) },
      shadowLocation ? { shadowDatabaseUrl: adapterUrl(shadowLocation) } : undefined,
    ),
    guard,
  );

  // Commands without a schema (`migrate diff`) start the engine with no
  // --datamodels; the wasm engine panics on an empty list but accepts none.
  /** @type {[string, string][] | undefined} */
  const datamodels =
    datamodelPaths.length > 0
      ? datamodelPaths.map((file) => [file, readFileSync(path.resolve(file), "utf8")])
      : undefined;
  /** @param {string} line */
  const forwardEngineLog = (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
  const engine = /** @type {SchemaEngine} */ (
    await wasmBindings.SchemaEngine.new({ datamodels }, forwardEngineLog, bindMigrationAwareSqlAdapterFactory(factory))
  );
  return { engine, guard, factory, mainLocation };
}

/** @typedef {Awaited<ReturnType<typeof startEngine>>} EngineContext */

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

/**
 * The JSON-RPC boundary is untyped; this cast lets each call site state the
 * engine's own parameter type (inferred from the method being called).
 *
 * @template T
 * @param {unknown} params
 * @returns {T}
 */
const asParams = (params) => /** @type {T} */ (params);

/**
 * `evaluateDataLoss` and `createMigration` need the schema that the migrations
 * directory produces. The wasm engine can only build it on a shadow database
 * reached through the adapter factory, and only `devDiagnostic` /
 * `diagnoseMigrationHistory` pass the factory along; the other two rely on
 * those having left the schema in the engine's per-process cache (keyed by the
 * migration directories). That holds in `migrate dev` unless the call right
 * before applied new migrations, so the cached schema is for fewer of them;
 * the two methods then fail with "SQLite shadow DB must be provided through an
 * external factory". Re-running `devDiagnostic` (read-only) once the database
 * is up to date fills the cache for the full list; then retry once.
 *
 * @param {EngineContext} ctx
 * @param {unknown} params
 * @param {() => Promise<unknown>} call
 */
async function withWarmMigrationSchemaCache(ctx, params, call) {
  try {
    return await call();
  } catch (error) {
    if (!errorMessage(error).includes("shadow DB must be provided through an external factory")) throw error;
    const { migrationsList, filters } = /** @type {import("@prisma/schema-engine-wasm").DevDiagnosticInput} */ (params);
    log("INFO", "Building the migrations' schema on a shadow database, then retrying.");
    await ctx.engine.devDiagnostic({ migrationsList, filters }).catch(() => undefined);
    return call();
  }
}

/**
 * The CLI's method names are the native engine's; the wasm class uses the same
 * names except `getDatabaseVersion` (`version`) and lacks `createDatabase` and
 * `getDatabaseDescription` (the CLI calls neither for SQLite; `createDatabase`
 * is cheap to provide).
 *
 * @type {Record<string, (ctx: EngineContext, params: unknown) => Promise<unknown>>}
 */
const methods = {
  async diagnoseMigrationHistory({ engine, guard }, params) {
    const result = await engine.diagnoseMigrationHistory(asParams(params));
    return guard.sawMissingTable ? { ...result, hasMigrationsTable: false } : result;
  },
  async markMigrationApplied({ engine, guard }, params) {
    guard.beginCall("create");
    return engine.markMigrationApplied(asParams(params));
  },
  getDatabaseVersion: ({ engine }, params) => engine.version(asParams(params ?? null)),
  createDatabase: async ({ mainLocation }) => ({ databaseName: createSqliteDatabase(mainLocation) }),
  applyMigrations: ({ engine }, params) => engine.applyMigrations(asParams(params)),
  createMigration: (ctx, params) =>
    withWarmMigrationSchemaCache(ctx, params, () => ctx.engine.createMigration(asParams(params))),
  dbExecute: ({ engine }, params) => engine.dbExecute(asParams(params)),
  debugPanic: async ({ engine }) => engine.debugPanic(),
  devDiagnostic: ({ engine }, params) => engine.devDiagnostic(asParams(params)),
  async diff({ engine }, params) {
    // The CLI prints nothing from the result: the native engine hands the
    // summary or script to the CLI in a `print` request and returns
    // `stdout: null`. The wasm engine returns it instead; pass it on the same way.
    const result = await engine.diff(asParams(params));
    if (result.stdout === null) return result;
    sendPrintRequest(result.stdout);
    return { ...result, stdout: null };
  },
  ensureConnectionValidity: ({ engine }, params) => engine.ensureConnectionValidity(asParams(params)),
  evaluateDataLoss: (ctx, params) =>
    withWarmMigrationSchemaCache(ctx, params, () => ctx.engine.evaluateDataLoss(asParams(params))),
  introspect: ({ engine }, params) => engine.introspect(asParams(params)),
  introspectSql: ({ engine }, params) => engine.introspectSql(asParams(params)),
  markMigrationRolledBack: ({ engine }, params) => engine.markMigrationRolledBack(asParams(params)),
  async reset({ factory }) {
    if (!factory.main) throw new Error("The schema engine has no database connection to reset.");
    await resetSqliteDatabase(factory.main);
  },
  schemaPush: ({ engine }, params) => engine.schemaPush(asParams(params)),
};

// ---------------------------------------------------------------------------
// JSON-RPC server

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {unknown} payload */
function send(payload) {
  process.stdout.write(`${JSON.stringify(payload)}\n`);
}

let printRequestId = 0;

/**
 * Asks the CLI to print `content` on its stdout. Fire and forget: the CLI
 * handles the request as soon as it reads the line, i.e. before the response
 * that follows it, and its acknowledgement needs no action.
 *
 * @param {string} content
 */
function sendPrintRequest(content) {
  send({ jsonrpc: "2.0", id: ++printRequestId, method: "print", params: { content } });
}

/**
 * @param {EngineArgs} args
 * @returns {Promise<number>} exit code
 */
async function serve(args) {
  // Created on the first request, so that a broken schema or URL comes back as
  // that request's error instead of a silent crash.
  const context = () => (engineStarting ??= startEngine(args.datamodels, args.datasource));

  /** @type {number | undefined} */
  let fatalExitCode;
  // One request at a time: the guard's per-call state and SQLite's single
  // connection both assume it, and the CLI never pipelines anyway.
  let queue = Promise.resolve();

  /** @param {string} line */
  const handleLine = async (line) => {
    if (line.trim() === "" || fatalExitCode !== undefined) return;
    /** @type {RpcRequest} */
    let request;
    try {
      request = JSON.parse(line);
    } catch (error) {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: `Parse error: ${errorMessage(error)}` } });
      return;
    }
    const { id = null, method, params } = request;
    // The CLI's acknowledgement of a `print` request.
    if (method === undefined && ("result" in request || "error" in request)) return;
    const handler = typeof method === "string" && Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!handler) {
      send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${String(method)}` } });
      return;
    }

    try {
      const ctx = await context();
      ctx.guard.beginCall("report-empty");
      const result = await handler(ctx, params);
      // Void methods (reset, dbExecute) still need a `result` key for the CLI.
      send({ jsonrpc: "2.0", id, result: result ?? {} });
    } catch (error) {
      const { panicked, message } = describeFailure(error);
      const data = /** @type {{ code?: unknown, meta?: unknown }} */ (error ?? {});
      log("ERROR", message, typeof data.code === "string" ? { error_code: data.code } : {});
      send({
        jsonrpc: "2.0",
        id,
        error: {
          code: ENGINE_ERROR_CODE,
          message: "An error happened. Check the data field for details.",
          data: {
            is_panic: panicked,
            message,
            ...(typeof data.code === "string" ? { error_code: data.code } : {}),
            ...(data.meta !== undefined ? { meta: data.meta } : {}),
            ...(panicked && error instanceof Error ? { backtrace: error.stack } : {}),
          },
        },
      });
      // A trapped wasm instance cannot be trusted with another request.
      if (panicked) fatalExitCode = PANIC_EXIT_CODE;
    }
  };

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => {
    queue = queue.then(() => handleLine(line));
  });

  await new Promise((resolve) => input.once("close", resolve));
  await queue;
  await closeConnections();
  return fatalExitCode ?? 0;
}

/** @type {Promise<EngineContext> | undefined} */
let engineStarting;

/** Closes the database handles (better-sqlite3 closes synchronously inside). */
async function closeConnections() {
  const ctx = await engineStarting?.catch(() => undefined);
  await ctx?.factory.disposeAll();
}

// ---------------------------------------------------------------------------

/** @param {number} code */
function exitAfterFlush(code) {
  process.stdout.write("", () => process.exit(code));
}

async function main() {
  /** @type {EngineArgs} */
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    log("ERROR", errorMessage(error), {}, "schema_engine::logger");
    return 1;
  }

  if (args.version) {
    await loadWasmEngineModule();
    process.stdout.write(`schema-engine-cli ${wasmBindings.version()} (wasm)\n`);
    return 0;
  }
  if (args.cliCommand) return runCliCommand(args.cliCommand, args.datasource);

  // Some engine panics happen in a promise job rather than inside the awaited
  // call, so no request sees them. Die like the native engine does on a panic
  // (exit 101 after an ERROR log line), which the CLI reports as a crash.
  process.on("uncaughtException", (error) => {
    const { panicked, message } = describeFailure(error);
    log("ERROR", message, { backtrace: error.stack, is_panic: panicked });
    exitAfterFlush(panicked ? PANIC_EXIT_CODE : 1);
  });

  // The CLI ends a session by closing stdin and immediately sending SIGTERM
  // (see SchemaEngine.stop() in the CLI); both are a normal shutdown. Every
  // response has been written by then, and better-sqlite3 closes synchronously.
  for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) {
    process.once(signal, () => void closeConnections().finally(() => exitAfterFlush(0)));
  }
  return serve(args);
}

main().then(exitAfterFlush, (error) => {
  log("ERROR", errorMessage(error), { backtrace: error instanceof Error ? error.stack : undefined }, "schema_engine::logger");
  exitAfterFlush(1);
});
