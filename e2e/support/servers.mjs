#!/usr/bin/env node
// What the end-to-end suite runs against (Playwright's webServer command):
// E2E_INSTANCES production servers started the way the README starts one
// (`npm start`: configuration check, migrations, server), all at once on one
// database, behind a round-robin balancer on E2E_PORT when there are several.
//
//   E2E_PORT, E2E_DATA_DIR, E2E_DATABASE_URL (file:… or postgresql://…), E2E_INSTANCES
//
// Each instance's output goes to $E2E_DATA_DIR/server-<n>.log (tests read the
// first-run setup link and the security log there) and to this process's output.
import { spawn } from "node:child_process";
import { createWriteStream, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startBalancer } from "./balancer.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = Number(process.env.E2E_PORT);
const dataDir = process.env.E2E_DATA_DIR ?? "";
const databaseUrl = process.env.E2E_DATABASE_URL ?? "";
const instances = Math.max(1, Number(process.env.E2E_INSTANCES ?? 1));
const publicUrl = `http://localhost:${port}`;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port: chosen } = /** @type {net.AddressInfo} */ (probe.address());
      probe.close(() => resolve(chosen));
    });
    probe.once("error", reject);
  });
}

/** PostgreSQL: start from an empty database, as a new installation does. */
async function createPostgresDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

/** @type {import("node:child_process").ChildProcess[]} */
const children = [];

function startInstance(n, instancePort) {
  const log = createWriteStream(path.join(dataDir, `server-${n}.log`));
  const child = spawn(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "scripts", "start.ts")], {
    cwd: root,
    env: {
      ...process.env,
      APP_ENV: "development",
      NODE_ENV: "production",
      PORT: String(instancePort),
      HOST: "127.0.0.1",
      PUBLIC_URL: publicUrl,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: process.env.E2E_SESSION_SECRET,
      GATEHOUSE_MASTER_KEY: process.env.E2E_MASTER_KEY,
      // Tests act as a proxy in front of the server to simulate client IP changes.
      TRUSTED_PROXY_HOSTS: "127.0.0.1,::1",
      // Webhook receivers started by the tests listen on loopback: allowed here only.
      WEBHOOKS_ALLOW_HTTP: "true",
      WEBHOOKS_ALLOWED_PRIVATE_CIDRS: "127.0.0.1/32",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk) => {
      log.write(chunk);
      process.stdout.write(instances > 1 ? `[${n}] ${chunk}` : chunk);
    });
  }
  child.on("exit", (code, signal) => {
    if (!shuttingDown) {
      console.error(`e2e server ${n} exited (${code ?? signal}); stopping`);
      shutdown(1);
    }
  });
  children.push(child);
}

async function waitUntilServing(instancePort) {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${instancePort}/sign-in`, { redirect: "manual" }).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`e2e server on port ${instancePort} did not start`);
}

let shuttingDown = false;
function shutdown(code) {
  shuttingDown = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));

if (databaseUrl.startsWith("postgres")) await createPostgresDatabase(databaseUrl);
if (instances === 1) {
  writeFileSync(path.join(dataDir, "instances.json"), JSON.stringify({ ports: [port] }));
  startInstance(1, port);
} else {
  const ports = [];
  for (let n = 1; n <= instances; n++) ports.push(await freePort());
  // All instances start at the same moment on the empty database: their
  // migrations must be applied exactly once (the schema engine's lock).
  writeFileSync(path.join(dataDir, "instances.json"), JSON.stringify({ ports }));
  ports.forEach((p, i) => startInstance(i + 1, p));
  await Promise.all(ports.map(waitUntilServing));
  await startBalancer({ port, backends: ports });
  console.log(`e2e balancer on ${publicUrl} → instances on ports ${ports.join(", ")}`);
}
