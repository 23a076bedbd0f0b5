// The JSON-RPC server: one request per stdin line, one response per stdout
// line, each request forwarded to the wasm engine through `methods`.

import readline from "node:readline";

import { send } from "./jsonrpc.mjs";
import { errorMessage, log } from "./log.mjs";
import { methods } from "./methods.mjs";
import { selectProvider } from "./provider.mjs";
import { describeFailure, startEngine } from "./wasm.mjs";

/** @typedef {import("./args.mjs").EngineArgs} EngineArgs */
/** @typedef {import("./wasm.mjs").EngineContext} EngineContext */
/** @typedef {{ jsonrpc?: string, id?: string | number | null, method?: unknown, params?: unknown, result?: unknown, error?: unknown }} RpcRequest */

// JSON-RPC code the native engine uses for every engine-level failure; the CLI
// only looks at `error.data` (`message`, `error_code`, `is_panic`, `meta`).
const ENGINE_ERROR_CODE = 4466;
// Exit code of a Rust panic; the CLI turns it into its "engine crashed" report.
export const PANIC_EXIT_CODE = 101;

/** @type {Promise<EngineContext> | undefined} */
let engineStarting;

/**
 * @param {EngineArgs} args
 * @returns {Promise<number>} exit code
 */
export async function serve(args) {
  // Created on the first request, so that a broken schema or URL comes back as
  // that request's error instead of a silent crash.
  const context = () =>
    (engineStarting ??= Promise.resolve().then(() =>
      startEngine(args.datamodels, selectProvider(args.datasource, { urlRequired: false })),
    ));

  /** @type {number | undefined} */
  let fatalExitCode;
  // One request at a time: the guard's per-call state and SQLite's single
  // connection both assume it, and the CLI never pipelines anyway.
  let queue = Promise.resolve();

  /** @param {string} line */
  const handleLine = async (line) => {
    if (line.trim() === "" || fatalExitCode !== undefined) return;
    /** @type {RpcRequest} */
    let request;
    try {
      request = JSON.parse(line);
    } catch (error) {
      send({ jsonrpc: "2.0", id: null, error: { code: -32700, message: `Parse error: ${errorMessage(error)}` } });
      return;
    }
    const { id = null, method, params } = request;
    // The CLI's acknowledgement of a `print` request.
    if (method === undefined && ("result" in request || "error" in request)) return;
    const handler = typeof method === "string" && Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!handler) {
      send({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${String(method)}` } });
      return;
    }

    try {
      const ctx = await context();
      ctx.guard.beginCall("report-empty");
      const result = await handler(ctx, params);
      // Void methods (reset, dbExecute) still need a `result` key for the CLI.
      send({ jsonrpc: "2.0", id, result: result ?? {} });
    } catch (error) {
      const { panicked, message } = describeFailure(error);
      const data = /** @type {{ code?: unknown, meta?: unknown }} */ (error ?? {});
      log("ERROR", message, typeof data.code === "string" ? { error_code: data.code } : {});
      send({
        jsonrpc: "2.0",
        id,
        error: {
          code: ENGINE_ERROR_CODE,
          message: "An error happened. Check the data field for details.",
          data: {
            is_panic: panicked,
            message,
            ...(typeof data.code === "string" ? { error_code: data.code } : {}),
            ...(data.meta !== undefined ? { meta: data.meta } : {}),
            ...(panicked && error instanceof Error ? { backtrace: error.stack } : {}),
          },
        },
      });
      // A trapped wasm instance cannot be trusted with another request.
      if (panicked) fatalExitCode = PANIC_EXIT_CODE;
    }
  };

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on("line", (line) => {
    queue = queue.then(() => handleLine(line));
  });

  await new Promise((resolve) => input.once("close", resolve));
  await queue;
  await closeConnections();
  return fatalExitCode ?? 0;
}

/** Closes the database connections (better-sqlite3 closes synchronously inside). */
export async function closeConnections() {
  const ctx = await engineStarting?.catch(() => undefined);
  await ctx?.factory.disposeAll();
}
