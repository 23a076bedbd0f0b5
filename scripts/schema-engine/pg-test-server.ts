// Helpers for tests against the PostgreSQL server named by PG_TEST_URL
// (`eval "$(scripts/pg-cluster.sh start)"` starts a throwaway one).
import pg from "pg";

export const serverUrl = process.env.PG_TEST_URL;

/** The server's URL naming `database`. */
export function urlFor(database: string): string {
  const url = new URL(serverUrl ?? "postgresql://unset");
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withDatabase<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export const databases = (pattern: string) =>
  withDatabase("postgres", async (client) =>
    (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [pattern])).rows.map(
      (row) => row.datname,
    ),
  );

/** Each migration's rows in _prisma_migrations (finished or not), by name. */
export const appliedMigrations = (database: string) =>
  withDatabase(database, async (client) =>
    (
      await client.query<{ migration_name: string; finished: boolean }>(
        `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name, started_at`,
      )
    ).rows,
  );

export const createDatabase = (database: string) =>
  withDatabase("postgres", (client) => client.query(`CREATE DATABASE "${database}"`));
