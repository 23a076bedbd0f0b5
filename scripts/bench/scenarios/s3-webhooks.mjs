// S3 webhook fan-out (DESIGN.md "Performance"): 10k events × 5 endpoints, delivered by one
// `npm run worker` process to 5 receivers on 127.0.0.1 that verify every delivery with the
// `standardwebhooks` package. Reports deliveries per second of wall time and per second of the
// worker's CPU time ("per worker core"), with the durable attempt log (a WebhookAttempt row and a
// delivery update per attempt, in the database). Its own database (not the deployment's: the
// servers' in-process workers would claim the deliveries), seeded through the domain code
// (scripts/bench/s3-seed.ts).
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { createPostgresDatabase, dropPostgresDatabase, openSql } from "../sql.mjs";

const EVENTS = Number(process.env.S3_EVENTS ?? 10_000);
const ENDPOINTS = 5;
const MASTER_KEY = Buffer.alloc(32, 7).toString("base64");
const root = path.resolve(import.meta.dirname, "..", "..", "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");

/** CPU ms of a process and all its descendants (Linux /proc), or null. */
function treeCpuMs(rootPid) {
  try {
    const tck = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const info = new Map();
    for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
      try {
        const text = readFileSync(`/proc/${name}/stat`, "utf8");
        const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
        info.set(Number(name), { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / tck });
      } catch {
        // gone
      }
    }
    let total = 0;
    for (const [pid, { ms }] of info) {
      for (let cur = pid; cur; cur = info.get(cur)?.ppid ?? 0) {
        if (cur === rootPid) {
          total += ms;
          break;
        }
      }
    }
    return total;
  } catch {
    return null;
  }
}

/** @type {import("./index.mjs").Scenario} */
export default {
  id: "S3",
  title: `webhook fan-out, ${EVENTS} events × ${ENDPOINTS} endpoints, one worker process`,
  instances: { sqlite: 1, postgres: 1 },
  async run(ctx, deployment) {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "gatehouse-s3-"));
    const databaseUrl = deployment.db === "sqlite" ? `file:${path.join(tmp, "s3.db")}` : deployment.databaseUrl.replace(/\/([^/]+)$/, "/$1_s3");
    if (deployment.db === "postgres") await createPostgresDatabase(databaseUrl);
    execFileSync(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "migrate", "deploy"], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });

    // Receivers: every request verified with the official library.
    let secrets = [];
    const stats = { ok: 0, bad: 0, ids: new Set(), duplicates: 0, first: 0, last: 0 };
    const servers = [];
    for (let i = 0; i < ENDPOINTS; i++) {
      const server = http.createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          try {
            new Webhook(secrets[i]).verify(body, req.headers);
            stats.ok++;
          } catch {
            stats.bad++;
          }
          const key = `${i}:${req.headers["webhook-id"]}`;
          if (stats.ids.has(key)) stats.duplicates++;
          stats.ids.add(key);
          stats.first ||= Date.now();
          stats.last = Date.now();
          res.writeHead(204).end();
        });
      });
      server.keepAliveTimeout = 30_000;
      await new Promise((r) => server.listen(0, "127.0.0.1", r));
      servers.push(server);
    }
    const urls = servers.map((s) => `http://127.0.0.1:${s.address().port}/hook`);
    const env = {
      ...process.env,
      APP_ENV: "development",
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      GATEHOUSE_MASTER_KEY: MASTER_KEY,
      SESSION_SECRET: "bench-session-secret-with-more-than-32-characters",
      WEBHOOKS_ALLOW_HTTP: "true",
      WEBHOOKS_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32",
      WEBHOOKS_WORKER: "false",
    };

    ctx.log(`S3: seeding ${EVENTS} events × ${ENDPOINTS} endpoints…`);
    const seedStarted = Date.now();
    const seed = spawnSync(process.execPath, [tsx, "--conditions=react-server", path.join(root, "scripts", "bench", "s3-seed.ts")], {
      cwd: root,
      env: { ...env, S3_RECEIVERS: urls.join(","), S3_EVENTS: String(EVENTS) },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (seed.status !== 0) throw new Error(`seeding failed: ${seed.stderr.slice(-2000)}`);
    secrets = JSON.parse(seed.stdout.trim().split("\n").at(-1)).secrets;
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    ctx.log("S3: delivering…");
    const worker = spawn(process.execPath, [tsx, "--conditions=react-server", path.join(root, "scripts", "worker.ts")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let workerOutput = "";
    for (const s of [worker.stdout, worker.stderr]) s.on("data", (c) => (workerOutput = (workerOutput + c).slice(-100_000)));
    const expected = EVENTS * ENDPOINTS;
    // CPU counted from the first delivery (tsx's start-up compile is not delivery work).
    let cpuAtFirst = null;
    const deadline = Date.now() + Number(process.env.S3_MAX_SECONDS ?? 1_800) * 1000;
    while (stats.ids.size < expected && Date.now() < deadline && worker.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
      if (cpuAtFirst === null && stats.first) cpuAtFirst = treeCpuMs(worker.pid);
    }
    const cpuAtEnd = treeCpuMs(worker.pid);
    // The receivers answered before the worker wrote the last attempts: let it record them.
    const sql = openSql(databaseUrl);
    const recorded = async () => Number((await sql.all(`SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE "status" = 'succeeded'`))[0].n);
    for (const until = Date.now() + 30_000; Date.now() < until && (await recorded()) < stats.ids.size; ) await new Promise((r) => setTimeout(r, 200));
    worker.kill("SIGTERM");
    await new Promise((r) => (worker.exitCode !== null ? r() : worker.once("exit", r)));

    const attempts = Number((await sql.all(`SELECT COUNT(*) AS n FROM "WebhookAttempt"`))[0].n);
    const succeeded = Number((await sql.all(`SELECT COUNT(*) AS n FROM "WebhookDelivery" WHERE "status" = 'succeeded'`))[0].n);
    await sql.close();
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    if (deployment.db === "postgres") await dropPostgresDatabase(databaseUrl);
    rmSync(tmp, { recursive: true, force: true });

    const delivered = stats.ids.size;
    const wallSeconds = Math.max(0.001, (stats.last - stats.first) / 1000);
    const cpuSeconds = cpuAtFirst !== null && cpuAtEnd !== null ? (cpuAtEnd - cpuAtFirst) / 1000 : null;
    const perCore = cpuSeconds ? delivered / cpuSeconds : null;
    const round = (x) => Math.round(x);
    return {
      rows: [],
      facts: [
        { label: "seeding (10k outbox events, 50k deliveries, via the domain code)", value: `${seedSeconds.toFixed(1)} s` },
        { label: "delivered", value: `${delivered} of ${expected} in ${wallSeconds.toFixed(1)} s: ${round(delivered / wallSeconds)} deliveries/s (wall)` },
        { label: "worker CPU", value: cpuSeconds === null ? "n/a" : `${cpuSeconds.toFixed(1)} s: ${round(perCore)} deliveries/s per worker core (target ≥ 2,000: ${perCore >= 2000 ? "met" : "missed"})` },
        { label: "attempt log", value: `${attempts} WebhookAttempt rows, ${succeeded} deliveries succeeded` },
      ],
      checks: [
        { label: "every delivery arrived", ok: delivered === expected, detail: delivered === expected ? undefined : `${delivered} of ${expected}; worker said: ${workerOutput.slice(-500)}` },
        { label: "0 signature failures at standardwebhooks receivers", ok: stats.bad === 0 && stats.ok >= delivered, detail: `${stats.ok} verified, ${stats.bad} failed` },
        { label: "no delivery sent twice", ok: stats.duplicates === 0, detail: stats.duplicates ? `${stats.duplicates} duplicates` : undefined },
        { label: "a durable attempt per delivery", ok: attempts >= delivered && succeeded === delivered, detail: `${attempts} attempts, ${succeeded} succeeded` },
      ],
      extra: { s3: { delivered, wallSeconds, cpuSeconds, perCore, seedSeconds } },
    };
  },
};
