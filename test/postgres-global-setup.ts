import pg from "pg";
import { postgresMigrations, postgresTemplateName, postgresUrl } from "./test-db-provider";

/**
 * Vitest global setup of the PostgreSQL project: create the migrated template
 * database once per cluster (its name carries a hash of the migrations), so
 * each test file clones it in a fraction of a second.
 */
export default async function setup() {
  const template = postgresTemplateName();
  const admin = new pg.Client({ connectionString: postgresUrl("postgres") });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount) return;
    const building = `${template}_building_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const db = new pg.Client({ connectionString: postgresUrl(building) });
    await db.connect();
    try {
      for (const [, sql] of postgresMigrations()) await db.query(sql);
    } finally {
      await db.end();
    }
    // Renaming last means a half-built template is never cloned.
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
  } finally {
    await admin.end();
  }
}
