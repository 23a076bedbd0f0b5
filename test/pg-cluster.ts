import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

// A test's own throwaway PostgreSQL cluster (scripts/pg-cluster.sh), for tests
// that stop and start the server: never the shared PG_TEST_URL cluster.

const SCRIPT = path.resolve(__dirname, "..", "scripts", "pg-cluster.sh");

/** Are PostgreSQL's server binaries installed (Debian: apt-get install -y postgresql-15)? */
export function hasPostgresServer(): boolean {
  const root = "/usr/lib/postgresql";
  return existsSync(root) && readdirSync(root).some((version) => existsSync(path.join(root, version, "bin", "initdb")));
}

export interface PgCluster {
  /** postgresql://postgres@127.0.0.1:<port> (append /<database>). */
  url: string;
  /** Stop the server, keeping its data and port: an outage. */
  pause(): void;
  /** Start it again on the same data directory and port. */
  resume(): void;
  /** Stop it and delete its data. */
  stop(): void;
}

function run(...args: string[]): string {
  return execFileSync("bash", [SCRIPT, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function startPgCluster(): PgCluster {
  const exports = new Map<string, string>();
  for (const line of run("start").split("\n")) {
    const m = /^export (\w+)='(.*)'$/.exec(line.trim());
    if (m) exports.set(m[1], m[2]);
  }
  const dir = exports.get("PG_CLUSTER_DIR");
  const url = exports.get("PG_TEST_URL");
  if (!dir || !url) throw new Error("scripts/pg-cluster.sh start printed no cluster");
  return {
    url,
    pause: () => void run("pause", dir),
    resume: () => void run("resume", dir),
    stop: () => void run("stop", dir),
  };
}
