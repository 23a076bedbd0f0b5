// Loading Prisma's WebAssembly schema engine and starting it on a provider's
// driver adapter.

import { readFileSync } from "node:fs";
import path from "node:path";

import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

import { EngineCompatAdapterFactory, MigrationsTableGuard } from "./compat-adapter.mjs";
import { errorMessage } from "./log.mjs";

/** @typedef {import("@prisma/schema-engine-wasm").SchemaEngine} SchemaEngine */
/** @typedef {import("./provider.mjs").DatabaseProvider} DatabaseProvider */

/** The bindings report a Rust panic's message here before the wasm traps. */
class PanicRegistry {
  message = "";

  /** @param {string} message */
  set_message(message) {
    this.message = message;
  }
}

const panicRegistry = new PanicRegistry();

/**
 * A panic surfaces in JS as a WebAssembly.RuntimeError ("unreachable"); the
 * Rust message is in the registry.
 *
 * @param {unknown} error
 */
export function describeFailure(error) {
  const panicked = error instanceof WebAssembly.RuntimeError;
  return { panicked, message: (panicked && panicRegistry.message) || errorMessage(error) };
}

/**
 * wasm-bindgen's `schema_engine.js` entry imports the .wasm file as an ES module,
 * which Node does not support without a flag; instantiate it by hand instead.
 */
export async function loadWasmEngineModule() {
  // The bindings look this global up by name (the CLI defines the same one).
  Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: panicRegistry });

  const wasmUrl = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const module = await WebAssembly.compile(readFileSync(wasmUrl));
  const instance = await WebAssembly.instantiate(module, { "./schema_engine_bg.js": wasmBindings });
  wasmBindings.__wbg_set_wasm(instance.exports);
  /** @type {{ __wbindgen_start: () => void }} */ (/** @type {unknown} */ (instance.exports)).__wbindgen_start();
}

/** The engine's version, as `schema-engine --version` prints it. */
export function engineVersion() {
  return wasmBindings.version();
}

/**
 * @param {string[]} datamodelPaths
 * @param {DatabaseProvider} provider
 */
export async function startEngine(datamodelPaths, provider) {
  await loadWasmEngineModule();
  const guard = new MigrationsTableGuard(provider.migrationsTableSql);
  const factory = new EngineCompatAdapterFactory(provider.createAdapterFactory(), guard);

  // Commands without a schema (`migrate diff`) start the engine with no
  // --datamodels; the wasm engine panics on an empty list but accepts none.
  /** @type {[string, string][] | undefined} */
  const datamodels =
    datamodelPaths.length > 0
      ? datamodelPaths.map((file) => [file, readFileSync(path.resolve(file), "utf8")])
      : undefined;
  /** @param {string} line */
  const forwardEngineLog = (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
  const engine = /** @type {SchemaEngine} */ (
    await wasmBindings.SchemaEngine.new({ datamodels }, forwardEngineLog, bindMigrationAwareSqlAdapterFactory(factory))
  );
  return { engine, guard, factory, provider };
}

/** @typedef {Awaited<ReturnType<typeof startEngine>>} EngineContext */
