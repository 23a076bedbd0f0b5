// Runs the Prisma CLI the way developers do (`node scripts/prisma.mjs …` with
// DATABASE_URL set), so the tests exercise the CLI, the offline engine shim
// and the provider behind it together.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");

export type CliResult = { code: number | null; stdout: string; stderr: string; output: string };

/** One Prisma CLI run through scripts/prisma.mjs; resolves when it exits. */
export function prisma(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "prisma.mjs"), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk), (output += chunk)));
    child.stderr.on("data", (chunk: Buffer) => ((stderr += chunk), (output += chunk)));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr, output }));
  });
}

/**
 * Talks to the engine stand-in directly, as the CLI does: one JSON-RPC request
 * on stdin, then stdin closed; resolves with the JSON messages it wrote.
 */
export function callEngine(args: string[], request: { method: string; params: unknown }): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "prisma-schema-engine.mjs"), ...args], {
      cwd: root,
      stdio: ["pipe", "pipe", "ignore"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.once("error", reject);
    child.once("close", () => resolve(stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line))));
    child.stdin.end(`${JSON.stringify({ jsonrpc: "2.0", id: 1, ...request })}\n`);
  });
}

/** Fails with the CLI's whole output, so a broken run explains itself. */
export function expectSuccess(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`prisma exited with ${result.code}:\n${result.output}`);
  return result;
}

/**
 * A scratch copy of prisma/ and prisma.config.ts under data/ (inside the
 * repository, so the config still resolves `prisma/config`), for tests that
 * change the schema or write migrations. Pass `--config <config>` to the CLI.
 */
export function copyPrismaProject(): { dir: string; config: string; remove: () => void } {
  mkdirSync(path.join(root, "data"), { recursive: true });
  const dir = mkdtempSync(path.join(root, "data", "prisma-project-"));
  cpSync(path.join(root, "prisma"), path.join(dir, "prisma"), { recursive: true });
  cpSync(path.join(root, "prisma.config.ts"), path.join(dir, "prisma.config.ts"));
  return { dir, config: path.join(dir, "prisma.config.ts"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
