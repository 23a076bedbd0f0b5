import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { serializedSqliteAdapter } from "./sqlite/serialized-adapter";
import { reportOutages } from "./availability";
import { getConfig } from "@/lib/server/config";
import { providerOf, type Provider } from "@/lib/db-url";

/**
 * The data access layer's client. Both providers' generated clients have the
 * same models and methods (they come from one schema), so the SQLite client's
 * type stands for both: code written against it uses nothing provider-specific.
 * Provider-specific SQL lives in lib/server/db/{sqlite,postgres}/ behind one
 * interface (lib/server/db/dialect.ts).
 */
export type Db = SqliteClient;
/** The client handed to interactive transaction callbacks. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export interface DbOptions {
  /** PostgreSQL: connections in this process's pool. */
  poolSize?: number;
  /** PostgreSQL: a statement running longer than this is cancelled. */
  statementTimeoutMs?: number;
  /**
   * Whether a lost connection marks the database unreachable for this process
   * (./availability.ts: 503 answers until the probe sees it back). Default true;
   * the in-process webhook worker's client passes false, so its background polls
   * never decide what the web tier answers (it still reads the flag and backs off).
   */
  reportOutages?: boolean;
}

/** Which database a client (or a transaction client) talks to. */
export function dbProvider(db: Db | Tx): Provider {
  // Prisma keeps the generated client's provider on the instance; transaction clients inherit it.
  const active: unknown = Reflect.get(db, "_activeProvider");
  return active === "postgresql" ? "postgres" : "sqlite";
}

// On globalThis: Next.js may load this module once per bundle, and the client made by one
// copy (getDb keeps a single one per process) must be found by every other copy.
const globalForUrls = globalThis as unknown as { gatehouseDbUrls?: WeakMap<object, string> };
const urls = (globalForUrls.gatehouseDbUrls ??= new WeakMap<object, string>());

/** The URL a client was created with (e.g. for a LISTEN connection of its own). */
export function dbUrl(db: Db): string | undefined {
  return urls.get(db);
}

/**
 * Build a client for a database URL (`file:…` → SQLite, `postgres://…` → PostgreSQL); used by the app, the CLI and tests.
 * Its adapter reports lost connections to ./availability.ts (503 during an outage, recovery without a restart).
 */
export function createDb(url: string, options: DbOptions = {}): Db {
  if (providerOf(url) === "postgres") {
    const adapter = new PrismaPg({
      connectionString: url,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 15_000,
      // A request waits this long for a pooled connection under a burst, then fails closed.
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
    });
    // Same models, same methods: see the Db type above.
    const db = new PostgresClient({ adapter: options.reportOutages === false ? adapter : reportOutages(adapter), transactionOptions }) as unknown as Db;
    urls.set(db, url);
    return db;
  }
  const sqlite = serializedSqliteAdapter(url);
  const db = new SqliteClient({ adapter: options.reportOutages === false ? sqlite : reportOutages(sqlite), transactionOptions });
  urls.set(db, url);
  return db;
}

/**
 * Transactions are short, but under a burst they queue (on SQLite's single
 * writer, on advisory locks, on the pool): wait in line for up to 10 s rather
 * than failing after Prisma's default 2 s.
 */
const transactionOptions = { maxWait: 10_000, timeout: 15_000 };

const globalForDb = globalThis as unknown as { gatehouseDb?: Db };

/** The process-wide client; the data access layer is its only user. */
export function getDb(): Db {
  if (!globalForDb.gatehouseDb) {
    const config = getConfig();
    globalForDb.gatehouseDb = createDb(config.databaseUrl, { poolSize: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs });
  }
  return globalForDb.gatehouseDb;
}

const globalForBackground = globalThis as unknown as { gatehouseBackgroundDb?: Db };

/**
 * The client of the in-process background tasks (webhook worker, rotation
 * notices, audit maintenance). On PostgreSQL: a small pool of its own that
 * does not report outages, so a background poll failing is never what
 * switches the web tier into its outage answers (the tasks read the flag and
 * back off all the same). On SQLite: the process's one client, because a
 * second connection in the same process would block the first (the driver is
 * synchronous: a writer waiting on the other connection's lock stalls the
 * event loop that connection needs to commit).
 */
export function getBackgroundDb(): Db {
  const config = getConfig();
  if (providerOf(config.databaseUrl) !== "postgres") return getDb();
  globalForBackground.gatehouseBackgroundDb ??= createDb(config.databaseUrl, { poolSize: 4, statementTimeoutMs: config.dbStatementTimeoutMs, reportOutages: false });
  return globalForBackground.gatehouseBackgroundDb;
}
