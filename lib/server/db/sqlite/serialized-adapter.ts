import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** A first-in, first-out async lock: `acquire` resolves with the function that releases it. */
class FifoLock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => {
      let done = false;
      return () => {
        if (done) return;
        done = true;
        release();
      };
    });
    this.#tail = this.#tail.then(() => released);
    return acquired;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

const raw = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/**
 * `@prisma/adapter-better-sqlite3` runs every query of a client on one SQLite
 * handle, but only interactive transactions take its lock: while a
 * transaction is open, an unrelated query runs inside it, can read its
 * uncommitted rows, and is undone when it rolls back
 * (../shared/notes/postgresql.md). This adapter puts every statement of the
 * client behind one lock: a query outside a transaction waits until no
 * transaction is open, and a transaction holds the lock from BEGIN to COMMIT
 * or ROLLBACK. Invariant: nothing but the transaction's own statements runs on
 * the handle while it is open.
 *
 * Consequences for callers: never await a query on the base client inside a
 * transaction callback (it waits for the transaction, which waits for it,
 * until Prisma's transaction timeout rolls it back), and keep slow work
 * (argon2, network) outside transactions.
 *
 * Transactions begin IMMEDIATE, taking SQLite's write lock up front, so a
 * second process on the same file (the worker) waits on the busy timeout
 * instead of failing a read-then-write transaction with SQLITE_BUSY.
 */
class SerializedSqliteAdapter implements SqlDriverAdapter {
  readonly provider = "sqlite" as const;
  readonly adapterName: string;
  #lock = new FifoLock();

  constructor(private readonly inner: SqlDriverAdapter) {
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.#lock.run(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.#lock.run(() => this.inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.#lock.run(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; anything else is a caller's mistake.
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") throw new Error(`SQLite does not support isolation level ${isolationLevel}`);
    const release = await this.#lock.acquire();
    const inner = this.inner;
    try {
      await inner.executeRaw(raw("BEGIN IMMEDIATE"));
    } catch (error) {
      release();
      throw error;
    }
    const end = async (sql: "ROLLBACK" | null) => {
      try {
        // Prisma sends COMMIT or ROLLBACK through executeRaw before calling
        // commit()/rollback(). If that failed (SQLITE_BUSY at COMMIT), the
        // handle would stay inside the transaction: roll it back so the next
        // caller does not inherit it. "no transaction is active" is the normal case.
        if (sql) await inner.executeRaw(raw(sql)).catch(() => undefined);
      } finally {
        release();
      }
    };
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      commit: () => end(null),
      rollback: () => end("ROLLBACK"),
      createSavepoint: async (name) => void (await inner.executeRaw(raw(`SAVEPOINT ${name}`))),
      rollbackToSavepoint: async (name) => void (await inner.executeRaw(raw(`ROLLBACK TO ${name}`))),
      releaseSavepoint: async (name) => void (await inner.executeRaw(raw(`RELEASE SAVEPOINT ${name}`))),
    };
  }

  getConnectionInfo() {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  dispose(): Promise<void> {
    return this.#lock.run(() => this.inner.dispose());
  }
}

/**
 * The SQLite driver adapter factory Gatehouse uses: better-sqlite3 with a busy
 * timeout, WAL journaling (readers do not block the writer, and a worker
 * process can share the file), foreign keys on, and every statement serialised
 * as described on SerializedSqliteAdapter.
 */
export function serializedSqliteAdapter(url: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSqlite3({ url, timeout: 5000 });
  return {
    provider: "sqlite",
    adapterName: factory.adapterName,
    async connect() {
      const inner = await factory.connect();
      await inner.executeScript("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;");
      return new SerializedSqliteAdapter(inner);
    },
    async connectToShadowDb() {
      return new SerializedSqliteAdapter(await factory.connectToShadowDb());
    },
  };
}
