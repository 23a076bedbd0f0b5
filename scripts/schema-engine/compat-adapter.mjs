// Where the wasm engine and the driver adapters disagree with the native
// engine, the adapter wrapper below bridges the gap (wrinkle 1 shows on both
// SQLite and PostgreSQL, wrinkle 2 on SQLite; adapter-pg's own problems are
// handled in postgres-adapter.mjs):
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
// RPC level: see withWarmMigrationSchemaCache in methods.mjs.)

import { log } from "./log.mjs";

/** @typedef {import("@prisma/driver-adapter-utils").SqlDriverAdapter} SqlDriverAdapter */
/** @typedef {import("@prisma/driver-adapter-utils").SqlMigrationAwareDriverAdapterFactory} SqlMigrationAwareDriverAdapterFactory */
/** @typedef {import("@prisma/driver-adapter-utils").SqlQuery} SqlQuery */
/** @typedef {import("@prisma/driver-adapter-utils").SqlResultSet} SqlResultSet */
/** @typedef {import("@prisma/driver-adapter-utils").IsolationLevel} IsolationLevel */

/** @typedef {"report-empty" | "create"} MissingTablePolicy */

export const MIGRATIONS_TABLE = "_prisma_migrations";

const TEXT_COLUMN = 7; // ColumnTypeEnum.Text in @prisma/driver-adapter-utils

/** Per-RPC-call state for wrinkle 1, shared by every connection of the engine. */
export class MigrationsTableGuard {
  /** @type {MissingTablePolicy} */
  policy = "report-empty";
  sawMissingTable = false;

  /** @param {string} createTableSql the provider's DDL for the migrations table */
  constructor(createTableSql) {
    this.createTableSql = createTableSql;
  }

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
      await adapter.executeScript(this.createTableSql);
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
 * Delegates to a driver adapter, with the two fixes described above.
 * Transactions pass through untouched: the engine reads the migrations table
 * and replays migration scripts outside of them.
 *
 * @implements {SqlDriverAdapter}
 */
export class EngineCompatAdapter {
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
export class EngineCompatAdapterFactory {
  /** @type {EngineCompatAdapter[]} */
  connections = [];

  /**
   * The engine's connection to the main database (it opens one at start).
   * @type {EngineCompatAdapter | undefined}
   */
  main;

  /** @param {SqlMigrationAwareDriverAdapterFactory} inner @param {MigrationsTableGuard} guard */
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

  /** Closes every connection handed out (for SQLite, releasing its exclusive lock). */
  async disposeAll() {
    await Promise.allSettled(this.connections.map((connection) => connection.dispose()));
  }

  /** @param {EngineCompatAdapter} connection */
  #track(connection) {
    this.connections.push(connection);
    return connection;
  }
}
