// Process-level behaviour of the engine stand-in: pick the mode from argv,
// keep stdout clean, and exit the way the native engine does.

import { parseArgs } from "./args.mjs";
import { runCliCommand } from "./cli.mjs";
import { errorMessage, guardStdio, log } from "./log.mjs";
import { closeConnections, PANIC_EXIT_CODE, serve } from "./server.mjs";
import { describeFailure, engineVersion, loadWasmEngineModule } from "./wasm.mjs";

/** @param {number} code */
function exitAfterFlush(code) {
  process.stdout.write("", () => process.exit(code));
}

/** @returns {Promise<number>} exit code */
async function run() {
  /** @type {import("./args.mjs").EngineArgs} */
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    log("ERROR", errorMessage(error), {}, "schema_engine::logger");
    return 1;
  }

  if (args.version) {
    await loadWasmEngineModule();
    process.stdout.write(`schema-engine-cli ${engineVersion()} (wasm)\n`);
    return 0;
  }
  if (args.cliCommand) return runCliCommand(args.cliCommand, args.datasource);

  // Some engine panics happen in a promise job rather than inside the awaited
  // call, so no request sees them. Die like the native engine does on a panic
  // (exit 101 after an ERROR log line), which the CLI reports as a crash.
  process.on("uncaughtException", (error) => {
    const { panicked, message } = describeFailure(error);
    log("ERROR", message, { backtrace: error.stack, is_panic: panicked });
    exitAfterFlush(panicked ? PANIC_EXIT_CODE : 1);
  });

  // The CLI ends a session by closing stdin and immediately sending SIGTERM
  // (see SchemaEngine.stop() in the CLI); both are a normal shutdown. Every
  // response has been written by then; better-sqlite3 closes synchronously,
  // and PostgreSQL pools get the moment it takes to close them.
  for (const signal of /** @type {const} */ (["SIGTERM", "SIGINT"])) {
    process.once(signal, () => void closeConnections().finally(() => exitAfterFlush(0)));
  }
  return serve(args);
}

/** Runs the engine stand-in in this process and exits with its exit code. */
export function main() {
  guardStdio();
  run().then(exitAfterFlush, (error) => {
    log("ERROR", errorMessage(error), { backtrace: error instanceof Error ? error.stack : undefined }, "schema_engine::logger");
    exitAfterFlush(1);
  });
}
