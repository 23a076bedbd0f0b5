import "server-only";
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import { DATABASE_UNAVAILABLE_DIGEST, isDatabaseUnavailableDigest } from "@/lib/database-outage";

/**
 * Is the database reachable? A process-wide flag, set when a query fails
 * because the database cannot be reached (server stopped or restarting,
 * network cut, SQLite file gone) and cleared by a probe that asks the same
 * pool again every PROBE_INTERVAL_MS until it answers. While it is set,
 * server.mjs answers 503 without touching Next, and turns a page's 500 into
 * a 503. Nothing is added to a query that succeeds: the flag costs nothing
 * while the database is up.
 */

const PROBE_INTERVAL_MS = 2_000;
/** A probe that has not settled by then counts as failed (pg's own connect timeout is 10 s). */
const PROBE_TIMEOUT_MS = 15_000;

type Probe = () => Promise<unknown>;

interface AvailabilityState {
  down: boolean;
  since: number | null;
  probe: Probe | null;
  probing: boolean;
  timer: ReturnType<typeof setTimeout> | null;
}

// On globalThis under a registered symbol: server.mjs (plain Node, same
// process, outside Next's bundles) reads `down` from it, and Next may load this
// module once per bundle layer. Keep the shape in step with
// lib/server/db/outage-response.mjs.
const STATE_KEY: unique symbol = Symbol.for("gatehouse.databaseAvailability");
const holder = globalThis as typeof globalThis & { [STATE_KEY]?: AvailabilityState };

function state(): AvailabilityState {
  return (holder[STATE_KEY] ??= { down: false, since: null, probe: null, probing: false, timer: null });
}

// Where a lost connection shows, as provoked against a real PostgreSQL server and
// SQLite file (availability.test.ts): Prisma's codes, the adapters' error kinds,
// socket errors, SQLSTATE class 08 (connection exception) and 57P01-57P03
// (admin_shutdown, crash_shutdown, cannot_connect_now), SQLite's open and I/O
// errors, and the messages of errors pg and better-sqlite3 throw without a code.
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN"]);
const SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;
const SQLITE = /^SQLITE_(CANTOPEN|IOERR)/;
const MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Cannot open database because the directory does not exist)/;

function field(value: object, name: string): unknown {
  return Reflect.get(value, name);
}

/**
 * Did this error happen because the database could not be reached (rather
 * than because of the query)? Looks through the wrappers a driver error
 * travels in: Prisma's `meta.driverAdapterError`, a DriverAdapterError's
 * `cause`, `Error.cause` and an AggregateError's `errors`.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const seen = new Set<object>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 32) {
    const e = queue.shift();
    if (typeof e !== "object" || e === null || seen.has(e)) continue;
    seen.add(e);
    const code = field(e, "code");
    if (typeof code === "string" && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code) || SQLITE.test(code))) return true;
    const originalCode = field(e, "originalCode");
    if (typeof originalCode === "string" && SQLSTATE.test(originalCode)) return true;
    const kind = field(e, "kind");
    if (typeof kind === "string" && ADAPTER_KINDS.has(kind)) return true;
    const message = field(e, "message");
    if (typeof message === "string" && MESSAGES.test(message)) return true;
    const meta = field(e, "meta");
    if (typeof meta === "object" && meta !== null) queue.push(field(meta, "driverAdapterError"));
    queue.push(field(e, "cause"));
    const errors = field(e, "errors");
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return false;
}

/**
 * Thrown instead of a connection error where a page needs its data (the
 * session lookup). Its digest reaches the browser's error boundary in
 * production builds, which then shows the outage message at once.
 */
export class DatabaseUnavailableError extends Error {
  readonly digest = DATABASE_UNAVAILABLE_DIGEST;

  constructor(options?: { cause?: unknown }) {
    super("Gatehouse cannot reach its database.", options);
    this.name = "DatabaseUnavailableError";
  }
}

/** A DatabaseUnavailableError, or a connection error of the driver. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isDatabaseUnavailableDigest(error) || isDatabaseUnreachable(error);
}

/** `error` as a DatabaseUnavailableError when it is a connection error; otherwise unchanged. */
export function asDatabaseUnavailable(error: unknown): unknown {
  return !isDatabaseUnavailableDigest(error) && isDatabaseUnreachable(error) ? new DatabaseUnavailableError({ cause: error }) : error;
}

/** Is the database marked unreachable? A read of a process-wide flag, no query. */
export function isDatabaseDown(): boolean {
  return state().down;
}

/** Mark the database unreachable; `probe` is asked every few seconds until it resolves, which clears the mark. */
export function markDatabaseDown(probe: Probe): void {
  const s = state();
  s.probe = probe;
  if (!s.down) {
    s.down = true;
    s.since = Date.now();
    console.error(`[gatehouse] the database cannot be reached: answering 503 and checking again every ${PROBE_INTERVAL_MS / 1000} s`);
  }
  // The first check runs at once: a single broken pooled connection (a server
  // restart) clears in milliseconds; a real outage fails it just as fast.
  scheduleProbe(s, 0);
}

/** Clear the mark (the probe does this when the database answers again). */
export function markDatabaseUp(): void {
  const s = state();
  if (s.timer) clearTimeout(s.timer);
  s.timer = null;
  if (s.down) console.log(`[gatehouse] the database answers again (unreachable for ${Math.round((Date.now() - (s.since ?? Date.now())) / 1000)} s)`);
  s.down = false;
  s.since = null;
  s.probe = null;
}

/** A timer that never keeps the process alive (tests, shutdown). */
function unrefTimer(run: () => void, delayMs: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(run, delayMs);
  if (typeof timer === "object" && "unref" in timer) timer.unref();
  return timer;
}

function scheduleProbe(s: AvailabilityState, delayMs: number): void {
  if (!s.down || s.timer || s.probing) return;
  s.timer = unrefTimer(() => void runProbe(s), delayMs);
}

async function runProbe(s: AvailabilityState): Promise<void> {
  s.timer = null;
  const probe = s.probe;
  if (!s.down || !probe) return;
  s.probing = true;
  let timeout: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([probe(), new Promise((_, reject) => (timeout = unrefTimer(() => reject(new Error("probe timed out")), PROBE_TIMEOUT_MS)))]);
    if (s.probe === probe) markDatabaseUp();
  } catch {
    // Still unreachable (one probe at a time: a hanging connect waits for the pool's timeout).
  } finally {
    clearTimeout(timeout);
    s.probing = false;
    scheduleProbe(s, PROBE_INTERVAL_MS);
  }
}

const PING: SqlQuery = { sql: "SELECT 1", args: [], argTypes: [] };

function reportFailure(error: unknown, probe: Probe): void {
  if (isDatabaseUnreachable(error)) markDatabaseDown(probe);
}

/**
 * The same object, whose promise-returning methods report a connection
 * failure before passing it on; `wrap` may replace what a method resolves
 * to (an adapter that a factory connects, a transaction that an adapter
 * starts). Methods run on the target itself, so private fields keep working.
 */
function observe<T extends object>(target: T, probe: Probe, wrap?: (method: PropertyKey, value: unknown) => unknown): T {
  // One wrapper per method, made on first use: a query costs a map lookup and a `then`.
  const wrappers = new Map<PropertyKey, { original: unknown; wrapper: (...args: unknown[]) => unknown }>();
  return new Proxy(target, {
    get(t, property) {
      const value: unknown = Reflect.get(t, property);
      if (typeof value !== "function") return value;
      const known = wrappers.get(property);
      if (known?.original === value) return known.wrapper;
      const wrapper = (...args: unknown[]): unknown => {
        let result: unknown;
        try {
          result = Reflect.apply(value, t, args);
        } catch (error) {
          reportFailure(error, probe);
          throw error;
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (resolved: unknown) => (wrap ? wrap(property, resolved) : resolved),
          (error: unknown) => {
            reportFailure(error, probe);
            throw error;
          },
        );
      };
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
  });
}

function isAdapter(value: unknown): value is SqlDriverAdapter {
  return typeof value === "object" && value !== null && typeof field(value, "queryRaw") === "function" && typeof field(value, "startTransaction") === "function";
}

function isTransaction(value: unknown): value is Transaction {
  return typeof value === "object" && value !== null && typeof field(value, "commit") === "function" && typeof field(value, "rollback") === "function";
}

function observeAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  // The probe asks the adapter itself (its pool), bypassing the observer.
  const probe = () => adapter.queryRaw(PING);
  return observe(adapter, probe, (method, value) => (method === "startTransaction" && isTransaction(value) ? observe(value, probe) : value));
}

/**
 * Watch a driver adapter factory: a connection failure while connecting, in a
 * query or in a transaction marks the database unreachable, and the probe
 * then pings through the same adapter (or connects anew when connecting was
 * what failed) until it answers.
 */
export function reportOutages<F extends SqlDriverAdapterFactory>(factory: F): F {
  const reconnect = async () => {
    const adapter = await factory.connect();
    try {
      await adapter.queryRaw(PING);
    } finally {
      await adapter.dispose();
    }
  };
  return observe(factory, reconnect, (method, value) => (method === "connect" && isAdapter(value) ? observeAdapter(value) : value));
}
