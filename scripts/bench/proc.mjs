// What /proc says about the servers: the CPU time they (and PostgreSQL's
// backends for their database) spend, which per request is far steadier than
// throughput on a machine shared with other work and is what a saturated
// server's throughput is made of; and whether a process group still runs.
// Linux only; elsewhere the samplers return null and the CPU columns say n/a.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
} catch {
  // keep the usual 100
}

/** [ppid, cpu ms, state, process group] of a process, or null when it is gone (or there is no /proc). */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may contain anything.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return [Number(fields[1]), ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond, fields[0], Number(fields[2])];
  } catch {
    return null;
  }
}

function allPids() {
  try {
    return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return null;
  }
}

/** Does any process of this group still run (zombies waiting for a reaper do not count)? null without /proc. */
export function groupRunning(pgid) {
  const pids = allPids();
  if (!pids) return null;
  return pids.some((pid) => {
    const s = stat(pid);
    return s !== null && s[3] === pgid && s[2] !== "Z";
  });
}

function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** The pid of the server.mjs process started under `rootPid` (itself, or a child of tsx/start.ts). */
export function findServerPid(rootPid) {
  const pids = allPids();
  if (!pids) return null;
  const parentOf = new Map(pids.map((pid) => [pid, stat(pid)?.[0]]));
  const underRoot = (pid) => {
    for (let cur = pid; cur; cur = parentOf.get(cur)) if (cur === rootPid) return true;
    return false;
  };
  return pids.find((pid) => underRoot(pid) && /server\.mjs/.test(cmdline(pid))) ?? null;
}

/** CPU ms of these processes so far (gone ones count 0), or null without /proc. */
export function cpuMs(pids) {
  let total = 0;
  let seen = false;
  for (const pid of pids) {
    const s = stat(pid);
    if (s) {
      total += s[1];
      seen = true;
    }
  }
  return seen ? total : null;
}

/**
 * @typedef {{ app: number | null, db: Map<number, number> }} CpuSample
 *   app: ms of the server processes; db: ms per PostgreSQL backend of the database
 */

/** What was spent between two samples: { app, db } in ms (null: unknown). */
export function cpuSpent(before, after) {
  if (!before || !after || before.app === null || after.app === null) return { app: null, db: null };
  let db = 0;
  // A backend that connected during the window started from zero.
  for (const [pid, ms] of after.db) db += ms - (before.db.get(pid) ?? 0);
  return { app: after.app - before.app, db };
}
