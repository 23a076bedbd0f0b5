// `npm run bench`: Gatehouse's benchmarks (DESIGN.md "Performance").
//
//   npm run bench [-- options]
//     --duration <s>      seconds per measurement (default 10); --quick is --duration 2 (CI smoke)
//     --connections <n>   concurrent keep-alive connections (default 16)
//     --only <ids>        scenarios to run, comma-separated (S2, audit)
//     --db <which>        sqlite, postgres or all (default all)
//     --cpu-prof          write CPU profiles of the servers to bench-results/profiles-<time>/
//
// Production servers are started on free loopback ports against fresh databases
// (a SQLite file in a temporary directory; a new database on PG_TEST_URL, or a
// throwaway cluster from scripts/pg-cluster.sh when unset), the load comes from
// autocannon in this process, and every scenario is reported as a ratio to a
// trivial route (GET /api/health/live) of the same server measured in the same
// run: absolute numbers on a shared machine are noise. Each target is marked MET
// or MISSED; a missed target does not fail the run (timing is not a test), a
// failed correctness check (revocation, audit chain, unexpected statuses) does.
// Results are printed and written to bench-results/<time>.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Deployments, ensureBuild } from "./deployments.mjs";
import { formatSection, machine, saveResults } from "./report.mjs";
import { SCENARIOS } from "./scenarios/index.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "16" },
    only: { type: "string" },
    db: { type: "string", default: "all" },
    quick: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log("usage: npm run bench -- [--duration 10] [--connections 16] [--only S2,audit] [--db sqlite|postgres|all] [--quick] [--cpu-prof]");
  process.exit(0);
}
const seconds = args.quick ? 2 : Number(args.duration);
const connections = Number(args.connections);
if (!(seconds > 0) || !Number.isInteger(connections) || connections < 1) {
  console.error("--duration must be a positive number of seconds and --connections a positive integer");
  process.exit(2);
}
const wanted = args.only?.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
const scenarios = SCENARIOS.filter((s) => !wanted || wanted.includes(s.id.toLowerCase()));
const unknown = wanted?.filter((id) => !SCENARIOS.some((s) => s.id.toLowerCase() === id)) ?? [];
if (unknown.length || scenarios.length === 0) {
  console.error(`unknown scenario ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.id).join(", ")}`);
  process.exit(2);
}
if (!["all", "sqlite", "postgres"].includes(args.db)) {
  console.error("--db must be sqlite, postgres or all");
  process.exit(2);
}
const databases = /** @type {("sqlite" | "postgres")[]} */ (["sqlite", "postgres"]).filter((db) => args.db === "all" || args.db === db);

const startedAt = new Date();
const loadAverageAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
const log = (line) => console.log(`[bench] ${line}`);
const workDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
const cpuProfDir = args["cpu-prof"] ? path.join(root, "bench-results", `profiles-${startedAt.toISOString().replace(/[:.]/g, "-")}`) : null;
const deployments = new Deployments({ root, workDir, cpuProfDir, log });
process.on("exit", () => deployments.stopCluster());
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    deployments.stopAll().finally(() => process.exit(130));
  });
}

const ctx = { seconds, connections, log };
const sections = [];
let failed = false;

try {
  await ensureBuild(root, log);
  log(`${seconds} s per measurement, ${connections} connections; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} CPUs`);
  for (const db of databases) {
    const mine = scenarios.filter((s) => s.instances[db]);
    if (mine.length === 0) continue;
    const deployment = await deployments.start(db, Math.max(...mine.map((s) => s.instances[db] ?? 1)));
    try {
      for (const scenario of mine) {
        log(`${scenario.id} ${scenario.title} on ${deployment.label}…`);
        const section = { scenario: scenario.id, title: scenario.title, deployment: deployment.label, startedWith: deployment.startScript, rows: [], checks: [], facts: [] };
        try {
          Object.assign(section, await scenario.run(ctx, deployment));
          const odd = section.rows.filter((r) => r.unexpected || r.errors);
          if (odd.length) section.checks.push({ label: "every timed response as expected", ok: false, detail: odd.map((r) => r.label).join(", ") });
        } catch (error) {
          section.checks.push({ label: "scenario ran", ok: false, detail: error instanceof Error ? error.message : String(error) });
        }
        sections.push(section);
        if (section.checks.some((c) => !c.ok)) failed = true;
        console.log(formatSection(section, ctx));
      }
    } finally {
      await deployments.stop(deployment);
    }
  }
} catch (error) {
  failed = true;
  console.error(`\n[bench] ${error instanceof Error ? error.message : error}`);
} finally {
  await deployments.stopAll();
}

const targets = sections.flatMap((s) => s.rows.filter((r) => r.target).map((r) => ({ s, r })));
console.log("\nSummary");
for (const { s, r } of targets) console.log(`  ${r.target.met ? "MET   " : "MISSED"} ${s.scenario} ${r.label} on ${s.deployment}: ratio ${r.ratio.toFixed(3)}, target ${r.target.text}`);
for (const s of sections) for (const c of s.checks.filter((c) => !c.ok)) console.log(`  FAILED ${s.scenario} on ${s.deployment}: ${c.label}${c.detail ? ` (${c.detail})` : ""}`);
const file = saveResults(root, startedAt, {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  options: { seconds, connections, only: wanted ?? null, databases },
  machine: { ...machine(), loadAverageAtStart },
  commit: gitHead(),
  sections,
});
console.log(`\nresults written to ${path.relative(root, file)}${cpuProfDir ? `; CPU profiles in ${path.relative(root, cpuProfDir)}` : ""}`);
if (failed) console.log(`server logs kept in ${workDir}`);
else rmSync(workDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

function gitHead() {
  try {
    return execGit(["rev-parse", "--short", "HEAD"]);
  } catch {
    return null;
  }
}

function execGit(gitArgs) {
  return String(execFileSync("git", gitArgs, { cwd: root, stdio: ["ignore", "pipe", "ignore"] })).trim();
}
