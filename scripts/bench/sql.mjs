// Plain SQL on a deployment's database, for fixtures and for checking results
// (never through the app's data access layer, which is the thing being measured).
// Portable SQL as in the e2e fixtures: double-quoted identifiers, `?` placeholders,
// booleans and dates passed as parameters.
import Database from "better-sqlite3";
import pg from "pg";

// COUNT(*) arrives as a bigint string from pg, and Prisma's DateTime columns are
// `timestamp(3)` without time zone holding UTC: parse both the way SQLite rows read.
const pgTypes = {
  getTypeParser(oid, format) {
    if (oid === 20) return (v) => Number(v);
    if (oid === 1114) return (v) => new Date(`${v.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * @typedef {object} Sql
 * @property {(sql: string, ...params: unknown[]) => Promise<any[]>} all
 * @property {(sql: string, ...params: unknown[]) => Promise<number>} run  affected rows
 * @property {() => Promise<void>} close
 */

/** @returns {Sql} */
export function openSql(databaseUrl) {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, types: pgTypes });
    const toPg = (sql) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${++n}`);
    };
    return {
      all: async (sql, ...params) => (await pool.query(toPg(sql), params)).rows,
      run: async (sql, ...params) => (await pool.query(toPg(sql), params)).rowCount ?? 0,
      close: () => pool.end(),
    };
  }
  let db = null;
  const open = () => {
    // Opened on first use: the server creates and migrates the file when it starts.
    db ??= new Database(databaseUrl.replace(/^file:/, ""));
    db.pragma("busy_timeout = 15000");
    return db;
  };
  const bind = (params) => params.map((p) => (typeof p === "boolean" ? Number(p) : p instanceof Date ? p.toISOString() : p));
  return {
    all: async (sql, ...params) => open().prepare(sql).all(...bind(params)),
    run: async (sql, ...params) => open().prepare(sql).run(...bind(params)).changes,
    close: async () => {
      db?.close();
      db = null;
    },
  };
}

/** Create an empty PostgreSQL database (dropping a leftover of the same name). */
export async function createPostgresDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export async function dropPostgresDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
