// The offline schema engine against a real PostgreSQL server:
//   eval "$(scripts/pg-cluster.sh start)"   (exports PG_TEST_URL)
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { appliedMigrations, createDatabase, databases, serverUrl, urlFor, withDatabase } from "./pg-test-server";
import { callEngine, copyPrismaProject, expectSuccess, prisma, root } from "./test-helpers";

const MIGRATIONS = path.join(root, "prisma", "postgres", "migrations");
const SLOW = { timeout: 180_000 };
// The key of the session-level advisory lock Prisma's engines take before migrating.
const MIGRATION_LOCK_KEY = 72707369;

if (!serverUrl && !process.env.CI) {
  console.warn(
    'Skipping the PostgreSQL schema engine tests: PG_TEST_URL is not set (start a throwaway server with eval "$(scripts/pg-cluster.sh start)").',
  );
}

describe.runIf(!serverUrl && process.env.CI)("the PostgreSQL schema engine tests in CI", () => {
  it("need a PostgreSQL server", () => {
    expect.fail('PG_TEST_URL is not set: CI must start a server (eval "$(scripts/pg-cluster.sh start)") before Vitest.');
  });
});

const migrationNames = () =>
  readdirSync(MIGRATIONS)
    .filter((name) => statSync(path.join(MIGRATIONS, name)).isDirectory())
    .sort();

const appendAuditEvent = (client: pg.Client, id: string) =>
  client.query(
    `INSERT INTO "AuditEvent" ("id", "chain", "seq", "occurredAt", "actorType", "action", "outcome", "metadata", "prevHash", "hash")
     VALUES ($1, 'test', 1, $2, 'system', 'test.appended', 'success', '{}', '', 'h')`,
    [id, new Date()],
  );

describe.skipIf(!serverUrl)("the offline schema engine on PostgreSQL", () => {
  const prefix = `engine_${process.pid}_${Date.now().toString(36)}`;
  const databaseFor = (purpose: string) => `${prefix}_${purpose}`;
  const env = (database: string) => ({ DATABASE_URL: urlFor(database) });

  afterAll(async () => {
    if (!serverUrl) return;
    for (const name of await databases(`${prefix}_%`)) {
      await withDatabase("postgres", (client) => client.query(`DROP DATABASE "${name}" WITH (FORCE)`));
    }
  });

  it("deploys to a database that does not exist yet, creating it, and the audit triggers refuse an UPDATE", SLOW, async () => {
    const database = databaseFor("deploy");
    expect(await databases(database)).toEqual([]);

    const result = expectSuccess(await prisma(["migrate", "deploy"], env(database)));
    expect(result.output).toContain(`PostgreSQL database ${database} created`);
    expect(result.output).toContain("All migrations have been successfully applied.");

    expect(await appliedMigrations(database)).toEqual(migrationNames().map((name) => ({ migration_name: name, finished: true })));
    await withDatabase(database, async (client) => {
      await appendAuditEvent(client, "evt_1");
      await expect(client.query(`UPDATE "AuditEvent" SET "action" = 'test.rewritten' WHERE "id" = 'evt_1'`)).rejects.toThrow(
        "audit events are append-only",
      );
    });

    const status = expectSuccess(await prisma(["migrate", "status"], env(database)));
    expect(status.output).toContain("Database schema is up to date!");
  });

  it("finds no difference between the migrations (replayed on a shadow database) and the schema", SLOW, async () => {
    // The shadow database is created from a connection to the main one.
    const database = databaseFor("diff");
    await createDatabase(database);
    const schema = path.join(root, "prisma", "postgres", "schema.prisma");
    const result = await prisma(
      ["migrate", "diff", "--from-migrations", MIGRATIONS, "--to-schema", schema, "--exit-code"],
      env(database),
    );
    expect(result.output).toContain("No difference detected.");
    expect(result.code).toBe(0);
    expect(await databases("prisma_migrate_shadow_db_%")).toEqual([]);
    // The replay ran on the shadow database, not on the main one.
    const tables = await withDatabase(database, (client) =>
      client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`),
    );
    expect(tables.rowCount).toBe(0);
  });

  it("creates and applies a migration for a schema change with `migrate dev`, through a shadow database it removes", SLOW, async () => {
    const project = copyPrismaProject();
    try {
      const schemaFile = path.join(project.dir, "prisma", "postgres", "schema.prisma");
      const schema = readFileSync(schemaFile, "utf8");
      expect(schema).toMatch(/^model User \{$/m);
      writeFileSync(schemaFile, schema.replace(/^model User \{$/m, "model User {\n  nickname String?"));
      const database = databaseFor("dev");

      const result = expectSuccess(
        await prisma(["migrate", "dev", "--name", "add_nickname", "--config", project.config], env(database)),
      );
      expect(result.output).toContain("Your database is now in sync with your schema.");

      const migrationsDir = path.join(project.dir, "prisma", "postgres", "migrations");
      const created = readdirSync(migrationsDir).filter((name) => name.endsWith("_add_nickname"));
      expect(created).toHaveLength(1);
      expect(readdirSync(MIGRATIONS).filter((name) => name.endsWith("_add_nickname"))).toEqual([]);
      const sql = readFileSync(path.join(migrationsDir, created[0], "migration.sql"), "utf8");
      expect(sql).toMatch(/ALTER TABLE "User" ADD COLUMN\s+"nickname" TEXT;/);
      expect(sql).not.toContain("CREATE TABLE");

      expect((await appliedMigrations(database)).map((row) => row.migration_name)).toEqual([...migrationNames(), created[0]]);
      const columns = await withDatabase(database, (client) =>
        client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'nickname'`),
      );
      expect(columns.rowCount).toBe(1);
      expect(await databases("prisma_migrate_shadow_db_%")).toEqual([]);
    } finally {
      project.remove();
    }
  });

  it("uses a configured shadow database, emptied first, for `migrate dev --create-only`", SLOW, async () => {
    const project = copyPrismaProject();
    try {
      const config = readFileSync(project.config, "utf8");
      expect(config).toMatch(/^ {4}url,$/m);
      writeFileSync(project.config, config.replace(/^ {4}url,$/m, "    url,\n    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,"));
      const schemaFile = path.join(project.dir, "prisma", "postgres", "schema.prisma");
      writeFileSync(schemaFile, readFileSync(schemaFile, "utf8").replace(/^model User \{$/m, "model User {\n  nickname String?"));
      const database = databaseFor("devshadow");
      const shadow = databaseFor("configured_shadow");
      await createDatabase(shadow);
      await withDatabase(shadow, (client) => client.query(`CREATE TABLE "User" ("leftover" INTEGER)`));

      const result = expectSuccess(
        await prisma(["migrate", "dev", "--create-only", "--name", "add_nickname", "--config", project.config], {
          ...env(database),
          SHADOW_DATABASE_URL: urlFor(shadow),
        }),
      );
      expect(result.output).toContain("created the following migration without applying it");

      const migrationsDir = path.join(project.dir, "prisma", "postgres", "migrations");
      const created = readdirSync(migrationsDir).filter((name) => name.endsWith("_add_nickname"));
      expect(created).toHaveLength(1);
      expect(readFileSync(path.join(migrationsDir, created[0], "migration.sql"), "utf8")).toMatch(
        /ALTER TABLE "User" ADD COLUMN\s+"nickname" TEXT;/,
      );
      expect((await appliedMigrations(database)).map((row) => row.migration_name)).toEqual(migrationNames());
      const leftover = await withDatabase(shadow, (client) =>
        client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'leftover'`),
      );
      expect(leftover.rowCount).toBe(0);
    } finally {
      project.remove();
    }
  });

  it("refuses a configured shadow database that is the main database, since Migrate empties it", async () => {
    const url = urlFor(databaseFor("same"));
    const schema = path.join(root, "prisma", "postgres", "schema.prisma");
    const messages = await callEngine(["--datamodels", schema, "--datasource", JSON.stringify({ url, shadowDatabaseUrl: url })], {
      method: "devDiagnostic",
      params: { migrationsList: { baseDir: MIGRATIONS, lockfile: { path: "migration_lock.toml" }, migrationDirectories: [] } },
    });
    expect(messages).toEqual([
      expect.objectContaining({
        id: 1,
        error: expect.objectContaining({
          data: expect.objectContaining({ message: expect.stringContaining("appears to be the same as the main database") }),
        }),
      }),
    ]);
  });

  it("applies each migration once when two `migrate deploy` runs start at the same moment, however long it takes", SLOW, async () => {
    // A migration slower than the engine's 10-second wait for its lock.
    const project = copyPrismaProject();
    try {
      const slow = "29991231000000_slow_step";
      const migrationsDir = path.join(project.dir, "prisma", "postgres", "migrations");
      mkdirSync(path.join(migrationsDir, slow));
      writeFileSync(path.join(migrationsDir, slow, "migration.sql"), "SELECT pg_sleep(15);\n");
      const database = databaseFor("race");

      const deploy = () => prisma(["migrate", "deploy", "--config", project.config], env(database));
      const runs = await Promise.all([deploy(), deploy()]);
      runs.forEach(expectSuccess);

      const expected = [...migrationNames(), slow].map((name) => ({ migration_name: name, finished: true }));
      expect(await appliedMigrations(database)).toEqual(expected);
    } finally {
      project.remove();
    }
  });

  it("makes `migrate deploy` wait, touching nothing, while another engine holds the migration lock", SLOW, async () => {
    const database = databaseFor("lock");
    await createDatabase(database);
    const holder = new pg.Client({ connectionString: urlFor(database) });
    await holder.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    let deployFinished = false;
    const deploy = prisma(["migrate", "deploy"], env(database)).finally(() => (deployFinished = true));
    try {
      // The engine gives up after 10 s without the lock, so release it soon after it starts waiting.
      const waiting = () =>
        holder.query(
          `SELECT 1 FROM pg_locks
           WHERE locktype = 'advisory' AND objid = $1 AND NOT granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [MIGRATION_LOCK_KEY],
        );
      while ((await waiting()).rowCount === 0) {
        if (deployFinished) throw new Error(`migrate deploy finished without waiting for the lock:\n${(await deploy).output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const tables = await holder.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(tables.rowCount).toBe(0);
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
      await holder.end();
    }
    expectSuccess(await deploy);
    expect(await appliedMigrations(database)).toEqual(migrationNames().map((name) => ({ migration_name: name, finished: true })));
  });

  it("resets with `migrate reset --force`: data gone, migrations and triggers applied afresh", SLOW, async () => {
    const database = databaseFor("reset");
    expectSuccess(await prisma(["migrate", "deploy"], env(database)));
    await withDatabase(database, (client) => appendAuditEvent(client, "evt_before_reset"));

    expectSuccess(await prisma(["migrate", "reset", "--force"], env(database)));

    expect(await appliedMigrations(database)).toEqual(migrationNames().map((name) => ({ migration_name: name, finished: true })));
    await withDatabase(database, async (client) => {
      expect((await client.query(`SELECT 1 FROM "AuditEvent"`)).rowCount).toBe(0);
      await appendAuditEvent(client, "evt_after_reset");
      await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow("audit events are append-only");
    });
  });
});
