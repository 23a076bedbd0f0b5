// Logging: JSON lines on stderr in the native engine's tracing format. The CLI
// parses them (`fields.message`, `level`), shows them in its debug output, and
// uses the last ERROR line when the engine exits unexpectedly.

import { format } from "node:util";

const LOG_TARGET = "schema_engine_shim";

/**
 * @param {"ERROR" | "WARN" | "INFO" | "DEBUG"} level
 * @param {string} message
 * @param {Record<string, unknown>} [fields]
 * @param {string} [target]
 */
export function log(level, message, fields = {}, target = LOG_TARGET) {
  const line = { timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/** @param {unknown} error */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/** Keeps stdout for JSON-RPC and stderr for JSON log lines, whoever writes to them. */
export function guardStdio() {
  // Node prints its own warnings as plain text on stderr; in `cli` mode the CLI
  // parses every stderr line after the first as JSON and would choke on them.
  process.removeAllListeners("warning");
  process.on("warning", (warning) => log("WARN", warning.message, { name: warning.name }));

  // Nothing but JSON-RPC may reach stdout, whichever dependency calls console.*.
  for (const method of /** @type {const} */ (["log", "info", "debug", "warn"])) {
    console[method] = (...args) => log(method === "warn" ? "WARN" : "DEBUG", format(...args));
  }
}
