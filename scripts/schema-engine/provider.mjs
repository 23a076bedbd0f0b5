// The datasource URL's scheme picks the database behind the engine, as
// DATABASE_URL does for the app: `file:` → SQLite, `postgres://` or
// `postgresql://` → PostgreSQL. Everything that differs between the two lives
// behind this one interface; the JSON-RPC methods and `cli` commands do not
// know which database they are talking to.

import { postgresProvider } from "./postgres.mjs";
import { sqliteProvider } from "./sqlite.mjs";

/** @typedef {import("./args.mjs").DatasourceConfig} DatasourceConfig */
/** @typedef {import("./wasm.mjs").EngineContext} EngineContext */
/** @typedef {import("@prisma/driver-adapter-utils").SqlMigrationAwareDriverAdapterFactory} SqlMigrationAwareDriverAdapterFactory */

/**
 * @typedef {object} DatabaseProvider
 * @property {string} migrationsTableSql the native engine's DDL for `_prisma_migrations`
 * @property {() => SqlMigrationAwareDriverAdapterFactory} createAdapterFactory the driver adapter the wasm engine uses
 * @property {() => Promise<string>} createDatabase creates the database when missing; resolves with its name
 * @property {() => Promise<{ code: string, message: string } | null>} checkConnection
 *   a user-facing error (P1003 when the database does not exist), or null if reachable
 * @property {(ctx: EngineContext, params: import("@prisma/schema-engine-wasm").ResetInput) => Promise<void>} reset
 *   leaves an empty database, as `migrate reset` expects
 * @property {<T>(run: () => Promise<T>) => Promise<T>} withMigrationLock
 *   runs `run` (applyMigrations) once no other engine is applying migrations to the database
 */

/**
 * @param {DatasourceConfig | undefined} datasource
 * @param {{ urlRequired: boolean }} options
 * @returns {DatabaseProvider}
 */
export function selectProvider(datasource, { urlRequired }) {
  const url = datasource?.url;
  if (!url) {
    if (urlRequired) throw new Error("No datasource URL: set datasource.url in prisma.config.ts (DATABASE_URL).");
    return sqliteProvider(datasource);
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return postgresProvider(datasource);
  if (url.startsWith("file:") || url === ":memory:") return sqliteProvider(datasource);
  throw new Error(
    `This schema engine shim supports SQLite \`file:\` and PostgreSQL \`postgresql://\` URLs; got \`${url.split(":")[0]}:\`.`,
  );
}
