import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "@/lib/server/db/client";
import { DATABASE_UNAVAILABLE_DIGEST } from "@/lib/database-outage";
import { AppError } from "@/lib/server/errors";
import { newId } from "@/lib/server/crypto";
import { createTestDb, type TestDb } from "@/test/test-db";
import { hasPostgresServer, startPgCluster, type PgCluster } from "@/test/pg-cluster";
import { DatabaseUnavailableError, asDatabaseUnavailable, isDatabaseDown, isDatabaseUnavailable, isDatabaseUnreachable, markDatabaseUp } from "./availability";

/** The error a promise rejects with; fails the test when it resolves. */
function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A local TCP server standing in for a network fault: it never answers, or hangs up at once. */
async function faultyServer(behaviour: "silent" | "hang-up"): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    if (behaviour === "hang-up") socket.destroy();
    else sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

afterEach(() => markDatabaseUp());

// This file brings its own servers, so one Vitest project is enough: the
// SQLite one (the PostgreSQL project re-runs database tests on PG_TEST_URL,
// a cluster that must not be stopped).
const inSqliteProject = process.env.TEST_DB_PROVIDER !== "postgres";
const withOwnCluster = inSqliteProject && (hasPostgresServer() || Boolean(process.env.CI));
if (inSqliteProject && !withOwnCluster) {
  console.warn("availability.test.ts: PostgreSQL server binaries not found (apt-get install -y postgresql-15); skipping the stopped-server tests");
}

describe.runIf(withOwnCluster)("a PostgreSQL server that stops and comes back", () => {
  let cluster: PgCluster;
  let db: Db;
  let paused = false;
  beforeAll(() => {
    cluster = startPgCluster();
    db = createDb(`${cluster.url}/postgres`, { poolSize: 3 });
  });
  // A failed test must not leave the next one without a server.
  afterEach(() => {
    if (paused) cluster.resume();
    paused = false;
  });
  afterAll(async () => {
    await db?.$disconnect().catch(() => undefined);
    cluster?.stop();
  });

  it("its errors are recognised, the adapter marks the database down, and the probe clears it once the same client answers again", async () => {
    await db.$queryRaw`SELECT 1`;
    const cutOff = failureOf(db.$queryRaw`SELECT pg_sleep(30)`);
    await sleep(500);
    cluster.pause();
    paused = true;

    // A statement running when the server shut down (57P01 admin_shutdown).
    const shutdown = await cutOff;
    expect(shutdown).toMatchObject({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "postgres", code: "57P01" } } } });
    // Everything tried while the server is down: refused connections.
    const model = await failureOf(db.user.findFirst());
    expect(model).toMatchObject({ code: "P1001" });
    const raw = await failureOf(db.$queryRaw`SELECT 1`);
    expect(raw).toMatchObject({ code: "P2010", meta: { driverAdapterError: { cause: { kind: "DatabaseNotReachable" } } } });
    const transaction = await failureOf(db.$transaction(async (tx) => tx.user.count()));
    expect(transaction).toMatchObject({ code: "P1001" });
    const client = new pg.Client({ connectionString: `${cluster.url}/postgres` });
    const refused = await failureOf(client.connect());
    expect(refused).toMatchObject({ code: "ECONNREFUSED" });

    for (const error of [shutdown, model, raw, transaction, refused]) {
      expect(isDatabaseUnreachable(error)).toBe(true);
      const converted = asDatabaseUnavailable(error);
      expect(converted).toBeInstanceOf(DatabaseUnavailableError);
      expect(converted).toMatchObject({ digest: DATABASE_UNAVAILABLE_DIGEST, cause: error });
    }
    // No one marked it but the adapter, on the failed queries.
    expect(isDatabaseDown()).toBe(true);

    cluster.resume();
    paused = false;
    // The probe asks every 2 s; the very client that failed works again without being rebuilt.
    await expect.poll(() => isDatabaseDown(), { timeout: 15_000, interval: 200 }).toBe(false);
    expect(await db.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    expect(await db.$transaction(async (tx) => tx.$queryRaw<{ two: number }[]>`SELECT 2 AS two`)).toEqual([{ two: 2 }]);
  });

  it("a pool with every connection busy past its timeout counts as unavailable", async () => {
    const pool = new pg.Pool({ connectionString: `${cluster.url}/postgres`, max: 1, connectionTimeoutMillis: 300 });
    const held = await pool.connect();
    try {
      const exhausted = await failureOf(pool.query("SELECT 1"));
      expect(exhausted).toMatchObject({ message: "timeout exceeded when trying to connect" });
      expect(isDatabaseUnreachable(exhausted)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });
});

describe("a network that drops the connection", () => {
  it("a server that never answers (timeout) and one that hangs up are recognised", async () => {
    const silent = await faultyServer("silent");
    const hangUp = await faultyServer("hang-up");
    try {
      // What @prisma/adapter-pg passes on unchanged from its pg.Pool for these (see the adapter's convertDriverError).
      const silentPool = new pg.Pool({ host: "127.0.0.1", port: silent.port, user: "x", connectionTimeoutMillis: 300 });
      const timeout = await failureOf(silentPool.query("SELECT 1"));
      expect(timeout).toMatchObject({ message: "Connection terminated due to connection timeout" });
      await silentPool.end();
      const hangUpPool = new pg.Pool({ host: "127.0.0.1", port: hangUp.port, user: "x" });
      const hungUp = await failureOf(hangUpPool.query("SELECT 1"));
      expect(hungUp).toMatchObject({ message: "Connection terminated unexpectedly" });
      await hangUpPool.end();
      expect(isDatabaseUnreachable(timeout)).toBe(true);
      expect(isDatabaseUnreachable(hungUp)).toBe(true);

      // Through Prisma and our adapter, a hang-up marks the database down.
      const db = createDb(`postgresql://x@127.0.0.1:${hangUp.port}/x`);
      try {
        expect(isDatabaseUnreachable(await failureOf(db.user.findFirst()))).toBe(true);
        expect(isDatabaseDown()).toBe(true);
      } finally {
        markDatabaseUp();
        await db.$disconnect().catch(() => undefined);
      }
    } finally {
      silent.close();
      hangUp.close();
    }
  });
});

describe("a SQLite file that cannot be opened", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-unopenable-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a path that is a directory (SQLITE_CANTOPEN) and a file in a missing directory are recognised and mark the database down", async () => {
    for (const url of [`file:${dir}`, `file:${path.join(dir, "missing", "gatehouse.db")}`]) {
      const db = createDb(url);
      try {
        const error = await failureOf(db.user.findFirst());
        expect(isDatabaseUnreachable(error)).toBe(true);
        expect(isDatabaseDown()).toBe(true);
      } finally {
        markDatabaseUp();
        await db.$disconnect().catch(() => undefined);
      }
    }
    const directory = await failureOf(createDb(`file:${dir}`).user.findFirst());
    expect(directory).toMatchObject({ code: "SQLITE_CANTOPEN" });
  });
});

describe("errors that are not about reaching the database", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(() => t.cleanup());

  it("are left alone and do not mark the database down", async () => {
    const slug = `org-${newId()}`;
    await t.db.organization.create({ data: { id: newId(), name: "One", slug } });
    const errors = [
      await failureOf(t.db.organization.create({ data: { id: newId(), name: "Two", slug } })),
      await failureOf(t.db.$queryRawUnsafe("SELEC 1")),
      await failureOf(t.db.organization.update({ where: { id: newId() }, data: { name: "Nobody" } })),
      new AppError("conflict", "Already exists."),
      new Error("Something else broke"),
      "a string",
      null,
    ];
    expect(errors[0]).toMatchObject({ code: "P2002" });
    for (const error of errors) {
      expect(isDatabaseUnreachable(error)).toBe(false);
      expect(isDatabaseUnavailable(error)).toBe(false);
      expect(asDatabaseUnavailable(error)).toBe(error);
    }
    expect(isDatabaseDown()).toBe(false);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError())).toBe(true);
  });
});
