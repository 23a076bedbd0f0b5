#!/usr/bin/env node
// Runs the project's own Prisma CLI with the environment it needs on machines
// that cannot download Prisma's native schema engine:
//
//   node scripts/prisma.mjs migrate deploy
//   import { runPrisma } from "./prisma.mjs"; await runPrisma(["generate"]);
//
// PRISMA_SCHEMA_ENGINE_BINARY points the CLI at our WebAssembly-backed engine
// (scripts/prisma-schema-engine.mjs, for SQLite and PostgreSQL alike; DATABASE_URL
// picks the provider through prisma.config.ts). With it set, the CLI's engine check finds
// the "binary" and skips its download; nothing else needs to be switched off
// for that. The other variables below silence the update check and telemetry,
// which would otherwise try to reach the network on every run.

import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaEngineShim = path.join(repoRoot, "scripts", "prisma-schema-engine.mjs");
const prismaCli = path.join(repoRoot, "node_modules", "prisma", "build", "index.js");

/** @type {Record<string, string>} */
const PRISMA_ENV = {
  PRISMA_SCHEMA_ENGINE_BINARY: schemaEngineShim,
  // The CLI's version check / usage ping ("checkpoint").
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  NEXT_TELEMETRY_DISABLED: "1",
};

/**
 * Starts the local Prisma CLI with `args` from the repository root (where
 * prisma.config.ts lives, so relative SQLite paths resolve from there).
 *
 * @param {readonly string[]} args
 * @param {{ env?: NodeJS.ProcessEnv }} options
 */
function spawnPrisma(args, options) {
  // The default SQLite database lives in data/; SQLite creates files, not directories.
  mkdirSync(path.join(repoRoot, "data"), { recursive: true });
  return spawn(process.execPath, [prismaCli, ...args], {
    cwd: repoRoot,
    stdio: "inherit",
    env: { ...process.env, ...options.env, ...PRISMA_ENV },
  });
}

/**
 * Runs the local Prisma CLI and resolves with its exit code.
 *
 * @param {readonly string[]} args CLI arguments, e.g. ["migrate", "deploy"]
 * @param {{ env?: NodeJS.ProcessEnv }} [options] extra environment, e.g. { DATABASE_URL }
 * @returns {Promise<number>} the exit code (128 + signal number if the CLI was killed)
 */
export function runPrisma(args, options = {}) {
  return exitCodeOf(spawnPrisma(args, options));
}

/** @param {import("node:child_process").ChildProcess} child @returns {Promise<number>} */
function exitCodeOf(child) {
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0));
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const child = spawnPrisma(process.argv.slice(2), {});
  // Ctrl-C already reaches the CLI through the shared process group; a SIGTERM
  // sent to this wrapper alone (CI timeouts, process managers) must be passed on.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  exitCodeOf(child).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
