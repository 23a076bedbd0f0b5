#!/usr/bin/env node
// `npm test`: the whole suite, on both databases.
//
//   node scripts/test.mjs          type check, schema drift check, unit tests (SQLite and
//                                  PostgreSQL), production build, end-to-end tests on SQLite
//                                  (one instance) and on PostgreSQL (two instances behind a
//                                  round-robin balancer)
//   node scripts/test.mjs unit     only the unit tests
//   node scripts/test.mjs e2e      only the build and the end-to-end tests
//
// PostgreSQL: PG_TEST_URL (postgresql://user@host:port, a server the tests may create
// databases on) when set; otherwise a throwaway cluster is started with
// scripts/pg-cluster.sh (Debian: apt-get install -y postgresql-15) and stopped at the end.
import { spawn, execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const only = process.argv[2];
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const bin = (name, ...rest) => path.join(root, "node_modules", name, ...rest);

/**
 * Run a command to completion. With `prefix`, its output is prefixed line by line (for suites
 * that run side by side, so each suite's lines stay apart in one log); otherwise it is inherited.
 */
function run(title, command, args, extraEnv = {}, prefix = null) {
  console.log(`\n=== ${title}${prefix ? ` (lines marked ${prefix})` : ""}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: prefix ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...env, ...extraEnv } });
    if (prefix) {
      for (const stream of [child.stdout, child.stderr]) {
        let rest = "";
        stream.setEncoding("utf8");
        stream.on("data", (chunk) => {
          const lines = (rest + chunk).split("\n");
          rest = lines.pop() ?? "";
          for (const line of lines) console.log(`${prefix} ${line}`);
        });
        stream.on("end", () => rest && console.log(`${prefix} ${rest}`));
      }
    }
    const forward = (signal) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      if (code === 0) resolve();
      else reject(new Error(`${title} failed (${code ?? signal})`));
    });
  });
}

let cluster = null;
function ensurePostgres() {
  if (env.PG_TEST_URL) return;
  try {
    const out = execFileSync("bash", [path.join(root, "scripts", "pg-cluster.sh"), "start"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    for (const line of out.split("\n")) {
      const m = /^export (\w+)='(.*)'$/.exec(line.trim());
      if (m) env[m[1]] = m[2];
    }
    cluster = env.PG_CLUSTER_DIR;
    console.log(`started a throwaway PostgreSQL cluster at ${env.PG_TEST_URL}`);
  } catch {
    console.error("npm test runs every test on PostgreSQL too: set PG_TEST_URL, or install the server (Debian: apt-get install -y postgresql-15).");
    process.exit(1);
  }
}
function stopPostgres() {
  if (cluster) execFileSync("bash", [path.join(root, "scripts", "pg-cluster.sh"), "stop", cluster], { stdio: "inherit" });
  cluster = null;
}
process.on("exit", stopPostgres);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

async function unit() {
  await run("Unit tests on SQLite and PostgreSQL", process.execPath, [bin("vitest", "vitest.mjs"), "run"]);
}

async function e2e() {
  await run("Production build", process.execPath, [bin("next", "dist", "bin", "next"), "build"]);
  const playwright = bin("@playwright", "test", "cli.js");
  const suites = [
    { title: "End-to-end tests on SQLite (one instance)", prefix: "[sqlite]", env: { E2E_DB: "sqlite", E2E_INSTANCES: "1" } },
    { title: "End-to-end tests on PostgreSQL (two instances behind a balancer)", prefix: "[postgres]", env: { E2E_DB: "postgres", E2E_INSTANCES: "2" } },
  ];
  // The two suites share nothing (own servers, databases and ports), so by default they run
  // side by side; E2E_SEQUENTIAL=1 runs one after the other with plain output.
  if (env.E2E_SEQUENTIAL === "1") {
    for (const suite of suites) await run(suite.title, process.execPath, [playwright, "test"], suite.env);
    return;
  }
  const results = await Promise.allSettled(suites.map((suite) => run(suite.title, process.execPath, [playwright, "test"], suite.env, suite.prefix)));
  const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
  if (failed.length) throw new Error(failed.join("; "));
}

try {
  if (!only) {
    await run("Type check", process.execPath, [bin("typescript", "bin", "tsc"), "--noEmit"]);
    await run("Schema drift check", process.execPath, [path.join(root, "scripts", "db-schema.mjs"), "--check"]);
  }
  ensurePostgres();
  if (!only || only === "unit") await unit();
  if (!only || only === "e2e") await e2e();
  console.log("\nAll tests passed.");
} catch (error) {
  console.error(`\n${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  stopPostgres();
}
