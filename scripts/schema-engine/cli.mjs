// `schema-engine --datasource <json> cli <command>`: one-shot commands; exit
// code 0 on success, 1 with a JSON error line on stderr.

import { errorMessage, log } from "./log.mjs";
import { selectProvider } from "./provider.mjs";

/** @typedef {import("./args.mjs").DatasourceConfig} DatasourceConfig */

/**
 * @param {string} command
 * @param {DatasourceConfig | undefined} datasource
 * @returns {Promise<number>} exit code
 */
export async function runCliCommand(command, datasource) {
  // The CLI skips the first stderr line before reading errors (the native
  // engine always logs one "Starting" line first), so keep that shape.
  log("INFO", "Starting schema engine CLI", {}, "schema_engine");
  try {
    const provider = selectProvider(datasource, { urlRequired: true });
    switch (command) {
      case "can-connect-to-database": {
        const failure = await provider.checkConnection();
        if (failure) return cliError(failure.code, failure.message);
        return 0;
      }
      case "create-database": {
        const name = await provider.createDatabase();
        log("INFO", `Database '${name}' was successfully created.`);
        return 0;
      }
      default:
        return cliError(undefined, `Unsupported schema engine CLI command: ${command}`);
    }
  } catch (error) {
    return cliError(undefined, errorMessage(error));
  }
}

/**
 * One ERROR line with this target is what the CLI extracts `error_code` and
 * `message` from after a failed `cli` command.
 *
 * @param {string | undefined} code
 * @param {string} message
 */
function cliError(code, message) {
  log("ERROR", message, code ? { error_code: code } : {}, "schema_engine::logger");
  return 1;
}
