#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, built on the WebAssembly
// schema engine (@prisma/schema-engine-wasm) and Prisma's driver adapters.
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
// The datasource URL picks the database: SQLite (`file:`, the embedded default)
// through better-sqlite3, PostgreSQL (`postgresql://`) through adapter-pg. stdout
// carries nothing but JSON-RPC messages, because the CLI parses every stdout line
// as one.
//
// The code lives in scripts/schema-engine/:
//   main.mjs            modes, signals, exit codes        args.mjs     the command line
//   server.mjs          the JSON-RPC loop                 jsonrpc.mjs  messages to the CLI
//   methods.mjs         one forwarder per RPC method      cli.mjs      `cli` subcommands
//   wasm.mjs            loading and starting the engine   log.mjs      stderr log lines
//   provider.mjs        the per-database interface        sqlite.mjs   SQLite behind it
//   postgres.mjs        PostgreSQL behind it, with postgres-adapter.mjs
//   compat-adapter.mjs  the driver adapter wrapper for both
//
// The wasm engine is not a drop-in replacement for the native one. The gaps
// found so far, and where each is bridged (search for the name):
//   - missing `_prisma_migrations` table reported as P1014  MigrationsTableGuard
//   - whole migration scripts sent through `executeRaw`     EngineCompatAdapter
//   - evaluateDataLoss/createMigration lacking a shadow DB  withWarmMigrationSchemaCache
//   - `reset` deleting rows but keeping tables              resetSqliteDatabase
//   - `diff` output returned instead of printed             methods.diff
//   - panic when started without --datamodels               startEngine
// and with adapter-pg (details in postgres-adapter.mjs):
//   - `"char"` (OID 18) catalog columns refused             readCharColumnsAsText
//   - shadow replay running on the main database            PostgresAdapterFactory
//   - shadow database dropped before its pool is closed     PostgresConnection
//   - migration scripts split at every `;`                  PostgresConnection
// Two `migrate deploy` runs on one PostgreSQL database apply each migration once:
// the wasm engine takes the native engine's advisory lock, and the shim queues
// deploys so that the engine's 10-second wait for it suffices (see postgres.mjs).

import { main } from "./schema-engine/main.mjs";

main();
