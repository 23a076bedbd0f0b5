// PostgreSQL through @prisma/adapter-pg: creating the database named in the
// URL, checking that it can be reached, and queueing concurrent deploys. The
// adapter factory and its shadow databases are in postgres-adapter.mjs.

import { MIGRATIONS_TABLE } from "./compat-adapter.mjs";
import {
  databaseAddress,
  databaseName,
  PostgresAdapterFactory,
  quoteIdentifier,
  withClient,
  withDatabase,
} from "./postgres-adapter.mjs";

/** @typedef {import("./args.mjs").DatasourceConfig} DatasourceConfig */
/** @typedef {import("./provider.mjs").DatabaseProvider} DatabaseProvider */

/** The native engine's DDL, for when the shim has to create the table itself. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "${MIGRATIONS_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

// Concurrent `migrate deploy` runs: before it applies migrations, the wasm
// engine takes the native engine's session-level advisory lock
// (`pg_advisory_lock(72707369)`) and keeps it until its connection closes, so
// a second engine finds nothing left to apply. But it waits at most 10 s for
// that lock, so a second deploy fails (P1002) whenever the first one's
// migrations take longer. The shim therefore queues applyMigrations calls
// behind a lock of its own, with a patient timeout: the engine's lock then
// only waits for the previous engine to shut down.
const QUEUE_LOCK_KEY = 72707370;
const QUEUE_LOCK_TIMEOUT = "15min";

/**
 * @param {DatasourceConfig} datasource
 * @returns {DatabaseProvider}
 */
export function postgresProvider(datasource) {
  const url = /** @type {string} */ (datasource.url);
  const name = databaseName(url);
  const shadowUrl = datasource.shadowDatabaseUrl;
  // The shadow database gets emptied: never let that be the main database.
  if (shadowUrl && databaseAddress(shadowUrl) === databaseAddress(url)) {
    throw new Error(
      "The shadow database you configured appears to be the same as the main database. Please specify another shadow database.",
    );
  }
  return {
    migrationsTableSql: MIGRATIONS_TABLE_DDL,
    createAdapterFactory: () => new PostgresAdapterFactory(url, shadowUrl),
    createDatabase: async () => {
      await createDatabaseIfMissing(url, name);
      return name;
    },
    checkConnection: () => checkPostgresConnection(url),
    // The wasm engine resets PostgreSQL itself (DROP SCHEMA "public" CASCADE).
    reset: ({ engine }, params) => engine.reset(params),
    withMigrationLock: (run) => queueBehindOtherDeploys(url, run),
  };
}

/** @param {unknown} error @returns {string | undefined} */
const errorCode = (error) => /** @type {{ code?: string } | undefined} */ (error)?.code;

/**
 * `migrate deploy` on a server where the database does not exist yet: create
 * it from a maintenance database, as the native engine does. Two deploys
 * starting at once may both find it missing; the one that loses the race to
 * CREATE DATABASE finds it there afterwards, which is what it wanted.
 *
 * @param {string} url
 * @param {string} name
 */
async function createDatabaseIfMissing(url, name) {
  /** @param {import("pg").Client} client */
  const create = async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (error) {
      const again = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (!again.rowCount) throw error;
    }
  };
  try {
    await withClient(withDatabase(url, "postgres"), create);
  } catch (error) {
    // A server without the `postgres` database still has template1.
    if (errorCode(error) !== "3D000") throw error;
    await withClient(withDatabase(url, "template1"), create);
  }
}

/**
 * @param {string} url
 * @returns {Promise<{ code: string, message: string } | null>}
 */
async function checkPostgresConnection(url) {
  const { hostname, port, username } = new URL(url);
  const server = `${hostname || "localhost"}:${port || 5432}`;
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return null;
  } catch (error) {
    // The native engine's codes and wording; P1003 makes the CLI create the database.
    switch (errorCode(error)) {
      case "3D000":
        return { code: "P1003", message: `Database \`${databaseName(url)}\` does not exist on the database server at \`${server}\`.` };
      case "28P01":
      case "28000":
        return {
          code: "P1000",
          message: `Authentication failed against database server at \`${server}\`, the provided database credentials for \`${decodeURIComponent(username)}\` are not valid.`,
        };
      case "ECONNREFUSED":
      case "ENOTFOUND":
      case "EHOSTUNREACH":
      case "ETIMEDOUT":
        return { code: "P1001", message: `Can't reach database server at \`${server}\`.` };
      default:
        throw error;
    }
  }
}

/**
 * Runs `run` (the engine's applyMigrations) once no other shim is applying
 * migrations to this database, holding a session-level advisory lock on a
 * connection of its own.
 *
 * @template T
 * @param {string} url
 * @param {() => Promise<T>} run
 * @returns {Promise<T>}
 */
function queueBehindOtherDeploys(url, run) {
  return withClient(url, async (client) => {
    await client.query(`SET lock_timeout = '${QUEUE_LOCK_TIMEOUT}'`);
    try {
      await client.query("SELECT pg_advisory_lock($1)", [QUEUE_LOCK_KEY]);
    } catch (error) {
      if (errorCode(error) !== "55P03") throw error;
      throw new Error(`Another deploy has been applying migrations to this database for ${QUEUE_LOCK_TIMEOUT}; giving up.`);
    }
    try {
      return await run();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [QUEUE_LOCK_KEY]);
    }
  });
}
