// The engine's JSON-RPC methods, forwarded to the wasm engine.

import { errorMessage, log } from "./log.mjs";
import { sendPrintRequest } from "./jsonrpc.mjs";

/** @typedef {import("./wasm.mjs").EngineContext} EngineContext */

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
 * `getDatabaseDescription` (the CLI creates databases with the `cli
 * create-database` command and calls neither; `createDatabase` is cheap to
 * provide).
 *
 * @type {Record<string, (ctx: EngineContext, params: unknown) => Promise<unknown>>}
 */
export const methods = {
  async diagnoseMigrationHistory({ engine, guard }, params) {
    const result = await engine.diagnoseMigrationHistory(asParams(params));
    return guard.sawMissingTable ? { ...result, hasMigrationsTable: false } : result;
  },
  async markMigrationApplied({ engine, guard }, params) {
    guard.beginCall("create");
    return engine.markMigrationApplied(asParams(params));
  },
  getDatabaseVersion: ({ engine }, params) => engine.version(asParams(params ?? null)),
  createDatabase: async ({ provider }) => ({ databaseName: await provider.createDatabase() }),
  applyMigrations: ({ engine, provider }, params) =>
    provider.withMigrationLock(() => engine.applyMigrations(asParams(params))),
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
  reset: (ctx, params) => ctx.provider.reset(ctx, asParams(params)),
  schemaPush: ({ engine }, params) => engine.schemaPush(asParams(params)),
};
