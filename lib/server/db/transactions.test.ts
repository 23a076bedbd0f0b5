import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb, dbProvider } from "@/lib/server/db/client";
import { dialectOf } from "@/lib/server/db/dialect";
import { newId } from "@/lib/server/crypto";
import { consumeRecoveryCode, generateRecoveryCodes } from "@/lib/server/two-factor/recovery-codes";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

/** Start a transaction that writes, then waits for `gate` before rolling back. */
function transactionThatRollsBack(write: (tx: Parameters<Parameters<TestDb["db"]["$transaction"]>[0]>[0]) => Promise<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const open = new Promise<void>((resolve) => (started = resolve));
  const done = t.db
    .$transaction(async (tx) => {
      await write(tx);
      started();
      await gate;
      throw new Error("rolled back on purpose");
    })
    .catch((error: Error) => error.message);
  return { open, release, done };
}

describe("transactions on the shared client", () => {
  it("knows its provider, also inside a transaction", async () => {
    expect(dbProvider(t.db)).toBe(t.provider);
    await t.db.$transaction(async (tx) => expect(dbProvider(tx)).toBe(t.provider));
  });

  it("keep a write made outside them when another request's transaction rolls back", async () => {
    const insideId = newId();
    const outsideId = newId();
    await t.db.organization.create({ data: { id: outsideId, name: "Outside", slug: `out-${outsideId}` } });
    const tx = transactionThatRollsBack((tx) => tx.organization.create({ data: { id: insideId, name: "Inside", slug: `in-${insideId}` } }));
    await tx.open;
    // An unrelated request writes while the transaction is open. On the bare
    // better-sqlite3 adapter this statement ran inside the open transaction and
    // vanished with its rollback.
    // (Prisma queries are lazy: `.then` sends it now. 300 ms lets it reach the adapter on a loaded machine.)
    const outside = t.db.organization.updateMany({ where: { id: outsideId }, data: { name: "Renamed outside" } }).then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 300));
    tx.release();
    expect(await tx.done).toBe("rolled back on purpose");
    await outside;
    expect(await t.db.organization.findUnique({ where: { id: insideId } })).toBeNull();
    expect((await t.db.organization.findUniqueOrThrow({ where: { id: outsideId } })).name).toBe("Renamed outside");
  });

  it("never let a rollback un-spend a recovery code consumed by another request", async () => {
    const userId = acme.users["owner@acme.test"].userId;
    const [code] = await t.db.$transaction((tx) => generateRecoveryCodes(tx, userId));
    const tx = transactionThatRollsBack((tx) => tx.organization.create({ data: { id: newId(), name: "Noise", slug: `noise-${newId()}` } }));
    await tx.open;
    const consumed = consumeRecoveryCode(t.db, userId, code);
    await new Promise((resolve) => setTimeout(resolve, 300));
    tx.release();
    await tx.done;
    expect(await consumed).toBe(true);
    // Spent for good: a second use is refused.
    expect(await consumeRecoveryCode(t.db, userId, code)).toBe(false);
  });

  it("do not let an outside read see a transaction's uncommitted rows", async () => {
    const id = newId();
    const tx = transactionThatRollsBack((tx) => tx.organization.create({ data: { id, name: "Uncommitted", slug: `u-${id}` } }));
    await tx.open;
    const read = t.db.organization.count({ where: { id } }).then((n) => n);
    await new Promise((resolve) => setTimeout(resolve, 300));
    tx.release();
    await tx.done;
    expect(await read).toBe(0);
  });
});

describe("dialect key locks", () => {
  // SQLite serves one web instance (one client per process; a worker is another
  // process): a second client in the same process would block the event loop
  // on SQLite's busy wait. PostgreSQL gets a second client, as a second instance.
  it("serialise read-then-write sequences, across two instances on PostgreSQL", async () => {
    const other = t.provider === "postgres" ? createDb(t.url) : t.db;
    try {
      const key = `counter-${newId()}`;
      await t.db.rateLimitBucket.create({ data: { key, count: 0, windowStart: new Date() } });
      const increment = (db: TestDb["db"]) =>
        db.$transaction(async (tx) => {
          await dialectOf(tx).lockKeys(tx, [`test:${key}`]);
          const row = await tx.rateLimitBucket.findUniqueOrThrow({ where: { key } });
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.rateLimitBucket.update({ where: { key }, data: { count: row.count + 1 } });
        });
      await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 ? t.db : other)));
      expect((await t.db.rateLimitBucket.findUniqueOrThrow({ where: { key } })).count).toBe(20);
    } finally {
      if (other !== t.db) await other.$disconnect();
    }
  });
});

