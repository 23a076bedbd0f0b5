// The @prisma/adapter-pg factory the wasm engine drives, with fixes for
// problems of adapter-pg 7.10 under Prisma Migrate (prisma/orm#27403):
//
// 1. `"char"` columns. Migrate's schema description reads pg_catalog columns
//    of type `"char"` (OID 18), which adapter-pg refuses ("Column type 'char'
//    could not be deserialized"). See readCharColumnsAsText.
// 2. The shadow database's address. adapter-pg connects to the shadow database
//    with the original `connectionString` plus `database: <shadow>`; in `pg`
//    the connection string wins, so the "shadow" replay ran on the main
//    database ("relation "User" already exists"). This factory puts the shadow
//    database's name into the URL itself.
// 3. The shadow database's disposal. adapter-pg drops the database before
//    closing the pool connected to it, which fails ("is being accessed by
//    other users"). PostgresConnection closes the pool first.
// 4. Migration scripts. The engine applies each migration.sql with
//    `executeScript`, which adapter-pg splits at every `;`, cutting function
//    bodies such as our audit triggers' (`$$ ... RAISE ...; END; $$`) apart.
//    The native engine sends the script whole; PostgresConnection does too.
//
// The wasm engine takes its migration lock (see postgres.mjs) through the
// adapter's pool, so the main pool must never close an idle connection: the
// one holding the lock would take it along.

import { randomUUID } from "node:crypto";

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

/** @typedef {import("@prisma/driver-adapter-utils").SqlDriverAdapter} SqlDriverAdapter */
/** @typedef {import("@prisma/driver-adapter-utils").SqlMigrationAwareDriverAdapterFactory} SqlMigrationAwareDriverAdapterFactory */
/** @typedef {import("@prisma/driver-adapter-utils").SqlQuery} SqlQuery */
/** @typedef {import("@prisma/driver-adapter-utils").IsolationLevel} IsolationLevel */

const CHAR_OID = 18;
const TEXT_OID = 25;

/** @param {string} name */
export const quoteIdentifier = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * The database a PostgreSQL URL names.
 * @param {string} url
 */
export function databaseName(url) {
  const { pathname, searchParams } = new URL(url);
  const name = decodeURIComponent(pathname.replace(/^\//, ""));
  if (!name) throw new Error("The PostgreSQL URL names no database: add one, as in postgresql://user@host:5432/gatehouse.");
  // The wasm engine migrates the `public` schema whatever the URL says, and
  // the app's client (lib/server/db) does not read `schema` either.
  const schema = searchParams.get("schema");
  if (schema && schema !== "public") {
    throw new Error(`Only the \`public\` schema is supported; remove \`schema=${schema}\` from the PostgreSQL URL.`);
  }
  return name;
}

/**
 * Where a URL's database lives, to tell two URLs for one database apart from
 * URLs for two databases.
 *
 * @param {string} url
 */
export function databaseAddress(url) {
  const { hostname, port } = new URL(url);
  return `${hostname || "localhost"}:${port || 5432}/${databaseName(url)}`;
}

/**
 * The same URL (credentials, host, port, TLS and other parameters) naming
 * another database.
 *
 * @param {string} url
 * @param {string} database
 */
export function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Runs `use` on a connection of its own, closed afterwards.
 *
 * @template T
 * @param {string} url
 * @param {(client: pg.Client) => Promise<T>} use
 */
export async function withClient(url, use) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let charColumnsReadAsText = false;

/**
 * adapter-pg maps each result column's type OID to a Prisma column type and
 * throws for OIDs it does not know, `"char"` among them, before any value
 * parser runs (so pg's types.setTypeParser cannot help). A `"char"` value is
 * one character of text; let this process's `pg` describe such columns as text.
 */
function readCharColumnsAsText() {
  if (charColumnsReadAsText) return;
  charColumnsReadAsText = true;
  // pg's typings leave out Result#addFields, which receives each row description.
  const result = /** @type {{ addFields(fields: { dataTypeID: number }[]): void }} */ (
    /** @type {unknown} */ (pg.Result.prototype)
  );
  const addFields = result.addFields;
  result.addFields = function (fields) {
    const mapped = fields.map((field) => (field.dataTypeID === CHAR_OID ? { ...field, dataTypeID: TEXT_OID } : field));
    return addFields.call(this, mapped);
  };
}

/** @implements {SqlMigrationAwareDriverAdapterFactory} */
export class PostgresAdapterFactory {
  /** @type {"postgres"} */
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";

  /**
   * @param {string} url the main database
   * @param {string | undefined} shadowDatabaseUrl a configured shadow database, if any
   */
  constructor(url, shadowDatabaseUrl) {
    readCharColumnsAsText();
    this.url = url;
    this.shadowDatabaseUrl = shadowDatabaseUrl;
  }

  async connect() {
    // idleTimeoutMillis 0: keep the connection that holds the advisory lock.
    const adapter = await new PrismaPg({ connectionString: this.url, idleTimeoutMillis: 0 }).connect();
    return new PostgresConnection(adapter);
  }

  /**
   * The engine expects an empty database each time it asks for one. Without
   * a configured shadow database, a temporary one is created next to the main
   * database and dropped when the engine disposes of it, as adapter-pg means
   * to do. A configured one (`shadowDatabaseUrl`, for servers where the user
   * may not create databases) is emptied first, as the native engine does.
   */
  async connectToShadowDb() {
    if (this.shadowDatabaseUrl) {
      const shadow = new PostgresConnection(await new PrismaPg({ connectionString: this.shadowDatabaseUrl }).connect());
      await shadow.executeScript('DROP SCHEMA IF EXISTS "public" CASCADE; CREATE SCHEMA "public";');
      return shadow;
    }
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await this.#onMainDatabase(`CREATE DATABASE ${quoteIdentifier(name)}`);
    const adapter = await new PrismaPg({ connectionString: withDatabase(this.url, name) }).connect();
    return new PostgresConnection(adapter, () => this.#onMainDatabase(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`));
  }

  /** @param {string} sql */
  async #onMainDatabase(sql) {
    await withClient(this.url, (client) => client.query(sql));
  }
}

/**
 * One of the engine's adapter-pg connections: runs scripts whole (fix 4) and,
 * for a temporary shadow database, drops the database once its pool is
 * closed (fix 3).
 *
 * @implements {SqlDriverAdapter}
 */
class PostgresConnection {
  /**
   * @param {SqlDriverAdapter} inner
   * @param {() => Promise<void>} [afterDispose]
   */
  constructor(inner, afterDispose) {
    this.inner = inner;
    this.afterDispose = afterDispose;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  /** @param {SqlQuery} query */
  queryRaw(query) {
    return this.inner.queryRaw(query);
  }

  /** @param {SqlQuery} query */
  executeRaw(query) {
    return this.inner.executeRaw(query);
  }

  /**
   * A query without parameters goes over PostgreSQL's simple query protocol,
   * which accepts several statements and runs them as one implicit
   * transaction, as the native engine does with a migration script.
   *
   * @param {string} script
   */
  async executeScript(script) {
    await this.inner.executeRaw({ sql: script, args: [], argTypes: [] });
  }

  /** @param {IsolationLevel} [isolationLevel] */
  startTransaction(isolationLevel) {
    return this.inner.startTransaction(isolationLevel);
  }

  async dispose() {
    try {
      await this.inner.dispose();
    } finally {
      await this.afterDispose?.();
    }
  }
}
