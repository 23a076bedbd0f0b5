import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client";
import { getConfig } from "@/lib/server/config";

export type Db = PrismaClient;
/** The client handed to interactive transaction callbacks. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { gatehouseDb?: PrismaClient };

/** Build a client for a SQLite URL (`file:./data/x.db`); used by the app and by tests. */
export function createDb(url: string): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url, timeout: 5000 });
  return new PrismaClient({ adapter });
}

/** The process-wide client; the data access layer is its only user. */
export function getDb(): PrismaClient {
  globalForDb.gatehouseDb ??= createDb(getConfig().databaseUrl);
  return globalForDb.gatehouseDb;
}
