// The native engine's command line, as the Prisma CLI passes it:
//
//   schema-engine --datamodels <file>... [--datasource <json>]
//   schema-engine --datasource <json> cli can-connect-to-database|create-database
//   schema-engine --version

import { log } from "./log.mjs";

/** @typedef {{ url?: string, shadowDatabaseUrl?: string }} DatasourceConfig */

/**
 * @typedef {object} EngineArgs
 * @property {string[]} datamodels
 * @property {DatasourceConfig | undefined} datasource
 * @property {string | undefined} cliCommand
 * @property {boolean} version
 */

/** @param {string[]} argv @returns {EngineArgs} */
export function parseArgs(argv) {
  /** @type {EngineArgs} */
  const args = { datamodels: [], datasource: undefined, cliCommand: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`Missing value for ${arg}`);
      return next;
    };
    switch (arg) {
      case "--datamodels":
        args.datamodels.push(value());
        break;
      case "--datasource":
        args.datasource = /** @type {DatasourceConfig} */ (JSON.parse(value()));
        break;
      case "--enabled-preview-features":
      case "--extension-types":
        // The wasm engine takes preview features from the schema's generator
        // block, and the project uses no extensions; accept and ignore.
        log("DEBUG", `Ignoring ${arg}`, { value: value() });
        break;
      case "-V":
      case "--version":
        args.version = true;
        break;
      case "cli":
        args.cliCommand = argv[++i];
        if (args.cliCommand === undefined) throw new Error("Missing subcommand after `cli`");
        break;
      default:
        log("WARN", `Ignoring unknown argument ${arg}`);
    }
  }
  return args;
}
