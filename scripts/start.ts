// `npm start`: check the configuration, migrate the database, build once when
// no production build exists, then serve. Each step stops the start with a
// clear message and a non-zero exit when it fails.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { checkConfig, formatConfigErrors } from "../lib/config/check-config";
// @ts-expect-error -- plain ESM helper without type declarations
import { runPrisma } from "./prisma.mjs";

const root = path.resolve(__dirname, "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: process.env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  const outcome = checkConfig(process.env, root);
  if (!outcome.ok) {
    console.error(formatConfigErrors(outcome.errors));
    process.exit(1);
  }
  for (const warning of outcome.warnings) console.warn(`[gatehouse] configuration warning: ${warning}`);

  console.log("[gatehouse] applying database migrations…");
  const migrated: number = await runPrisma(["migrate", "deploy"], { env: { DATABASE_URL: outcome.config.databaseUrl } });
  if (migrated !== 0) {
    console.error("[gatehouse] database migration failed; the server was not started.");
    process.exit(migrated);
  }

  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.log("[gatehouse] no production build found; building (this takes a few minutes the first time)…");
    const built = await run(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
    if (built !== 0) process.exit(built);
  }

  process.exit(await run(process.execPath, [path.join(root, "server.mjs")]));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
