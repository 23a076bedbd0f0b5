import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Provider } from "@/lib/db-url";

const POSTGRES_MIGRATIONS = path.resolve(__dirname, "..", "prisma", "postgres", "migrations");

/** Which database the unit tests of this run use (the Vitest project sets it). */
export function testDbProvider(): Provider {
  return process.env.TEST_DB_PROVIDER === "postgres" ? "postgres" : "sqlite";
}

/** A database on the test cluster (PG_TEST_URL, e.g. postgresql://postgres@127.0.0.1:5432). */
export function postgresUrl(database: string): string {
  const base = process.env.PG_TEST_URL;
  if (!base) throw new Error("PG_TEST_URL is not set: start a cluster with `eval \"$(scripts/pg-cluster.sh start)\"` (npm test does this itself)");
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The PostgreSQL migrations in order, as [name, sql]. */
export function postgresMigrations(): [string, string][] {
  return readdirSync(POSTGRES_MIGRATIONS)
    .filter((n) => !n.endsWith(".toml"))
    .sort()
    .map((n) => [n, readFileSync(path.join(POSTGRES_MIGRATIONS, n, "migration.sql"), "utf8")]);
}

/** The migrated template every test database is cloned from; its name changes with the migrations. */
export function postgresTemplateName(): string {
  const hash = createHash("sha256");
  for (const [name, sql] of postgresMigrations()) hash.update(name).update(sql);
  return `gatehouse_template_${hash.digest("hex").slice(0, 12)}`;
}
