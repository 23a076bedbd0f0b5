// The servers a benchmark runs against: production builds started the way
// `npm start` starts them (scripts/start.ts: configuration check, migrations,
// server.mjs), like e2e/support/servers.mjs, on free loopback ports, against a
// fresh database: a SQLite file in a temporary directory, or a new database on
// PG_TEST_URL (a throwaway cluster from scripts/pg-cluster.sh when unset).
import { spawn, execFileSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { cpuMs, findServerPid, groupRunning } from "./proc.mjs";
import { createPostgresDatabase, dropPostgresDatabase, openSql } from "./sql.mjs";

export const SESSION_SECRET = "bench-session-secret-with-more-than-32-characters";
const MASTER_KEY = Buffer.alloc(32, 7).toString("base64");

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = /** @type {net.AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
    probe.once("error", reject);
  });
}

/** Build once when there is no production build (several instances must not each start a build). */
export async function ensureBuild(root, log) {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  log("no production build in .next: running next build (a few minutes)…");
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (${code})`))));
  });
}

/**
 * @typedef {object} Instance
 * @property {number} n
 * @property {number} port
 * @property {string} url        http://127.0.0.1:<port>
 * @property {string} logFile
 * @property {() => string} output  what the instance printed so far (the last 1 MB)
 * @property {import("node:child_process").ChildProcess} child  what was spawned (tsx running start.ts, or server.mjs)
 * @property {number | null} [serverPid]  the server.mjs process, found on first use
 *
 * @typedef {object} Deployment
 * @property {"sqlite" | "postgres"} db
 * @property {string} label         e.g. "PostgreSQL, 2 instances"
 * @property {string} databaseUrl
 * @property {string} startScript     how the instances were started (scripts/start.ts, or server.mjs: see migrate and --cpu-prof)
 * @property {Instance[]} instances
 * @property {import("./sql.mjs").Sql} sql
 * @property {Map<string, unknown>} memo  fixtures shared by the scenarios that use this deployment
 * @property {(instances: Instance[]) => () => Promise<import("./proc.mjs").CpuSample>} cpuSampler
 *   CPU so far of these instances' servers and of the PostgreSQL backends of this database
 */

export class Deployments {
  /** @param {{ root: string, workDir: string, cpuProfDir: string | null, log: (line: string) => void }} options */
  constructor(options) {
    this.options = options;
    /** @type {import("node:child_process").ChildProcess[]} */
    this.children = [];
    this.cluster = null;
    this.pgBaseUrl = process.env.PG_TEST_URL ?? null;
    /** @type {Deployment[]} */
    this.live = [];
  }

  /** PG_TEST_URL, or a throwaway cluster (stopped by stopAll) like scripts/test.mjs. */
  postgresBaseUrl() {
    if (this.pgBaseUrl) return this.pgBaseUrl;
    let out;
    try {
      out = execFileSync("bash", [path.join(this.options.root, "scripts", "pg-cluster.sh"), "start"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      });
    } catch {
      throw new Error("the PostgreSQL scenarios need PG_TEST_URL or the server binaries (Debian: apt-get install -y postgresql-15); or run with --db sqlite");
    }
    for (const line of out.split("\n")) {
      const m = /^export (\w+)='(.*)'$/.exec(line.trim());
      if (m?.[1] === "PG_TEST_URL") this.pgBaseUrl = m[2];
      if (m?.[1] === "PG_CLUSTER_DIR") this.cluster = m[2];
    }
    this.options.log(`started a throwaway PostgreSQL cluster at ${this.pgBaseUrl}`);
    return this.pgBaseUrl;
  }

  /**
   * Start `instances` servers on one fresh database.
   * @param {"sqlite" | "postgres"} db
   * @param {number} instances
   * @param {Record<string, string>} [extraEnv]
   * @returns {Promise<Deployment>}
   */
  async start(db, instances, extraEnv = {}) {
    const tag = `${db}-${this.live.length + 1}`;
    let databaseUrl;
    let startScript = "scripts/start.ts";
    if (db === "postgres") {
      const url = new URL(this.postgresBaseUrl());
      url.pathname = `/gatehouse_bench_${process.pid}_${Date.now().toString(36)}`;
      databaseUrl = url.toString();
      await createPostgresDatabase(databaseUrl);
      if (!(await this.migrate(databaseUrl))) startScript = "server.mjs";
    } else {
      const dir = path.join(this.options.workDir, tag);
      mkdirSync(dir, { recursive: true });
      databaseUrl = `file:${path.join(dir, "bench.db")}`;
    }
    // Node refuses --cpu-prof in NODE_OPTIONS, and start.ts starts server.mjs
    // without flags: to profile, migrate here and start server.mjs with them.
    if (this.options.cpuProfDir && startScript !== "server.mjs") {
      await this.migrate(databaseUrl);
      startScript = "server.mjs";
    }
    const ports = [];
    for (let i = 0; i < instances; i++) ports.push(await freePort());
    this.options.log(`starting ${instances} instance${instances > 1 ? "s" : ""} on ${db === "postgres" ? "PostgreSQL" : "SQLite"} (ports ${ports.join(", ")})…`);
    // All at once on the empty database, as e2e does: migrations must still apply exactly once.
    const started = ports.map((port, i) => this.startInstance(tag, i + 1, port, databaseUrl, extraEnv, startScript));
    await Promise.all(started.map((instance) => this.waitUntilServing(instance)));
    /** @type {Deployment} */
    const deployment = {
      db,
      label: `${db === "postgres" ? "PostgreSQL" : "SQLite"}, ${instances} instance${instances > 1 ? "s" : ""}`,
      databaseUrl,
      startScript,
      instances: started,
      sql: openSql(databaseUrl),
      memo: new Map(),
      cpuSampler: (chosen) => async () => {
        const pids = chosen.map((i) => (i.serverPid ??= findServerPid(i.child.pid)));
        const app = pids.includes(null) ? null : cpuMs(pids);
        const db = new Map();
        if (deployment.db === "postgres") {
          const rows = await deployment.sql.all(`SELECT "pid" FROM pg_stat_activity WHERE "datname" = current_database() AND "pid" <> pg_backend_pid()`);
          for (const { pid } of rows) db.set(pid, cpuMs([pid]) ?? 0);
        }
        return { app, db };
      },
    };
    this.live.push(deployment);
    return deployment;
  }

  /**
   * Migrate a new database the way `npm start` does (the project's Prisma CLI
   * wrapper); true when that worked. A schema-engine shim without PostgreSQL
   * support (it refuses any non-`file:` URL) would make every `npm start` on
   * PostgreSQL fail; then the committed PostgreSQL migrations are applied
   * directly, as test/test-db-provider.ts does for the unit tests, false is
   * returned, and the instances start with server.mjs (what start.ts runs
   * after migrating), so the PostgreSQL numbers still come.
   */
  async migrate(databaseUrl) {
    const { root, log } = this.options;
    const { code, output } = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(root, "scripts", "prisma.mjs"), "migrate", "deploy"], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.stderr.on("data", (chunk) => (out += chunk));
      child.once("error", reject);
      child.once("exit", (exitCode) => resolve({ code: exitCode, output: out }));
    });
    if (code === 0) return true;
    if (!databaseUrl.startsWith("postgres") || !/only supports SQLite/i.test(output)) throw new Error(`prisma migrate deploy failed:\n${output.slice(-3000)}`);
    log("the schema-engine shim on this branch cannot migrate PostgreSQL: applying prisma/postgres/migrations directly and starting server.mjs");
    const dir = path.join(root, "prisma", "postgres", "migrations");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      for (const name of readdirSync(dir).filter((n) => !n.endsWith(".toml")).sort()) {
        await client.query(readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
      }
    } finally {
      await client.end();
    }
    return false;
  }

  /** @returns {Instance} */
  startInstance(tag, n, port, databaseUrl, extraEnv, startScript) {
    const { root, workDir, cpuProfDir } = this.options;
    const logFile = path.join(workDir, `${tag}-server-${n}.log`);
    const log = createWriteStream(logFile);
    let tail = "";
    const env = {
      ...process.env,
      APP_ENV: "development",
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: `http://localhost:${port}`,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET,
      GATEHOUSE_MASTER_KEY: MASTER_KEY,
      NEXT_TELEMETRY_DISABLED: "1",
      ...extraEnv,
    };
    const profile = cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${tag}-server-${n}.cpuprofile`] : [];
    const command =
      startScript === "server.mjs"
        ? [...profile, path.join(root, "server.mjs")]
        : [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, startScript)];
    const child = spawn(process.execPath, command, {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so a start that hangs can be stopped with its server.
      detached: true,
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => {
        log.write(chunk);
        tail = (tail + chunk).slice(-1_000_000);
      });
    }
    child.once("exit", () => log.end());
    this.children.push(child);
    return { n, port, url: `http://127.0.0.1:${port}`, logFile, output: () => tail, child };
  }

  async waitUntilServing(instance) {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      if (instance.child.exitCode !== null) throw new Error(`server ${instance.n} exited during start:\n${instance.output().slice(-3000)}`);
      const ok = await fetch(`${instance.url}/api/health/live`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error(`server ${instance.n} on port ${instance.port} did not start in 5 minutes:\n${instance.output().slice(-3000)}`);
  }

  /** Stop one deployment's servers and drop its PostgreSQL database. */
  async stop(deployment) {
    await deployment.sql.close();
    await Promise.all(deployment.instances.map((instance) => this.stopChild(instance.child)));
    this.live = this.live.filter((d) => d !== deployment);
    if (deployment.db === "postgres") await dropPostgresDatabase(deployment.databaseUrl).catch(() => {});
  }

  /**
   * SIGTERM to the instance's whole process group (tsx, start.ts, server.mjs), as
   * Ctrl-C in a terminal would: the server exits cleanly (and writes its
   * profile) even when tsx, whose relay gives its child 30 ms to acknowledge a
   * signal, SIGKILLs start.ts on a busy machine; signalling only tsx would then
   * leave server.mjs running as an orphan. SIGKILL to the group after 15 s.
   */
  async stopChild(child) {
    const group = -child.pid;
    const signal = (name) => {
      try {
        process.kill(group, name);
        return true;
      } catch {
        return false; // no process left in the group
      }
    };
    if (!signal("SIGTERM")) return;
    const deadline = Date.now() + 15_000;
    const running = () => groupRunning(child.pid) ?? signal(0);
    while (Date.now() < deadline && running()) await new Promise((resolve) => setTimeout(resolve, 100));
    signal("SIGKILL");
  }

  async stopAll() {
    for (const deployment of [...this.live]) await this.stop(deployment).catch(() => {});
    this.stopCluster();
  }

  /** Synchronous last resort (process exit): kill what is left, stop the throwaway cluster. */
  stopCluster() {
    for (const child of this.children) {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    if (this.cluster) execFileSync("bash", [path.join(this.options.root, "scripts", "pg-cluster.sh"), "stop", this.cluster], { stdio: "inherit" });
    this.cluster = null;
  }
}
