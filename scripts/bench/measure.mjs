// Load generation (autocannon, in this process) and the arithmetic of a result.
import autocannon from "autocannon";
import { cpuSpent } from "./proc.mjs";

/**
 * @typedef {object} Target  one request shape
 * @property {string} label              e.g. "GET /api/session"
 * @property {string} url
 * @property {string} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 *
 * @typedef {object} Slice  what one load run saw
 * @property {number} responses       inside the timed window
 * @property {number} allResponses    including the margins
 * @property {number} seconds         the timed window's length
 * @property {{ from: number, to: number }} window  epoch ms
 * @property {number[]} latencies   ms, one per response in the window
 * @property {Record<string, number>} statuses  of every response, margins included
 * @property {number} errors          connection errors and timeouts
 * @property {{ app: number | null, db: number | null }} cpu  ms spent by the servers and the database in the window
 *
 * @typedef {object} Summary
 * @property {number} responses
 * @property {number} seconds
 * @property {number} rps
 * @property {number} p50  ms
 * @property {number} p99  ms
 * @property {Record<string, number>} statuses
 * @property {number} errors
 * @property {number | null} cpuMsPerRequest   server CPU (app and, on PostgreSQL, its backends) per response
 * @property {number | null} appCpuMsPerRequest
 */

/** Seconds cut from each end of a timed load (see `load`). */
export const marginFor = (seconds) => Math.min(1, Math.max(0.25, seconds / 10));

/**
 * Drive one request shape with `connections` keep-alive connections. With
 * `seconds`, the load runs `margin` longer at each end and only responses that
 * complete inside the middle `seconds` count: the ramp-up (every connection
 * waiting for its first answer) and the requests cut off when the load stops
 * would otherwise lower the rate of slow routes more than of fast ones.
 * With `cpu`, a sampler of the servers' CPU time, the CPU spent in the window is recorded.
 * @param {Target} target
 * @param {{ seconds: number, connections: number, cpu?: () => Promise<import("./proc.mjs").CpuSample> }} options
 * @returns {Promise<Slice>}
 */
export async function load(target, { seconds, connections, cpu }) {
  const margin = marginFor(seconds);
  /** @type {number[]} */
  const latencies = [];
  /** @type {Record<string, number>} */
  const statuses = {};
  let all = 0;
  const startedEpoch = Date.now();
  const started = performance.now();
  const from = started + margin * 1000;
  const to = from + seconds * 1000;
  const run = autocannon({
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers ?? {},
    body: target.body,
    connections,
    duration: seconds + 2 * margin,
    timeout: 30,
  });
  /** @type {Promise<import("./proc.mjs").CpuSample | null>[]} */
  const samples = [];
  if (cpu) {
    const at = (delay) => new Promise((resolve) => setTimeout(() => resolve(cpu().catch(() => null)), delay));
    samples.push(at(margin * 1000), at((margin + seconds) * 1000));
  }
  run.on("response", (_client, status, _bytes, ms) => {
    all += 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
    const now = performance.now();
    if (now >= from && now <= to) latencies.push(ms);
  });
  const result = await run;
  const [before, after] = await Promise.all(samples);
  return {
    responses: latencies.length,
    allResponses: all,
    seconds,
    window: { from: startedEpoch + margin * 1000, to: startedEpoch + (margin + seconds) * 1000 },
    latencies,
    statuses,
    errors: result.errors + result.timeouts,
    cpu: cpuSpent(before, after),
  };
}

/**
 * Several loads at once (e.g. one per instance): one slice with their sum over
 * the same window.
 * @param {Target[]} targets
 * @param {{ seconds: number, connectionsEach: number[], cpu?: () => Promise<import("./proc.mjs").CpuSample> }} options
 */
export async function loadTogether(targets, options) {
  // The CPU sampler covers every server: the first load samples it for all of them.
  const slices = await Promise.all(
    targets.map((t, i) => load(t, { ...options, connections: options.connectionsEach[i], cpu: i === 0 ? options.cpu : undefined })),
  );
  return { ...merge(slices, Math.max(...slices.map((s) => s.seconds))), window: slices[0].window, cpu: slices[0].cpu };
}

/** @param {Slice[]} slices  @param {number} [seconds] wall time when they ran at once (default: they ran one after the other) */
export function merge(slices, seconds) {
  /** @type {Record<string, number>} */
  const statuses = {};
  for (const s of slices) for (const [code, n] of Object.entries(s.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    responses: slices.reduce((n, s) => n + s.responses, 0),
    allResponses: slices.reduce((n, s) => n + s.allResponses, 0),
    seconds: seconds ?? slices.reduce((n, s) => n + s.seconds, 0),
    latencies: slices.flatMap((s) => s.latencies),
    statuses,
    errors: slices.reduce((n, s) => n + s.errors, 0),
    cpu: {
      app: slices.some((s) => s.cpu.app === null) ? null : slices.reduce((n, s) => n + (s.cpu.app ?? 0), 0),
      db: slices.some((s) => s.cpu.db === null) ? null : slices.reduce((n, s) => n + (s.cpu.db ?? 0), 0),
    },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** @param {Slice} slice @returns {Summary} */
export function summarize(slice) {
  const sorted = Float64Array.from(slice.latencies).sort();
  return {
    responses: slice.responses,
    seconds: round(slice.seconds, 2),
    rps: round(slice.responses / slice.seconds, 1),
    p50: round(percentile(sorted, 50), 2),
    p99: round(percentile(sorted, 99), 2),
    statuses: slice.statuses,
    errors: slice.errors,
    cpuMsPerRequest: slice.cpu.app === null || !slice.responses ? null : round((slice.cpu.app + (slice.cpu.db ?? 0)) / slice.responses, 3),
    appCpuMsPerRequest: slice.cpu.app === null || !slice.responses ? null : round(slice.cpu.app / slice.responses, 3),
  };
}

export const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Measure a baseline and other request shapes against one server, interleaved
 * so that every shape sees the same share of whatever else the machine does:
 * each is warmed up, then runs in rounds of about 2.5 s (at least two), in the
 * order A B C, C B A, A B C, … which also cancels a steady drift.
 * @param {Target[]} targets  the first is the baseline (the trivial route)
 * @param {{ seconds: number, connections: number, cpu?: () => Promise<import("./proc.mjs").CpuSample> }} options
 * @returns {Promise<Summary[]>}
 */
export async function compareInterleaved(targets, { seconds, connections, cpu }) {
  for (const t of targets) await load(t, { connections, seconds: Math.min(2, seconds / 2) });
  const rounds = Math.max(2, Math.round(seconds / 2.5));
  /** @type {Slice[][]} */
  const slices = targets.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [...targets.keys()] : [...targets.keys()].reverse();
    for (const i of order) slices[i].push(await load(targets[i], { seconds: seconds / rounds, connections, cpu }));
  }
  return slices.map((s) => summarize(merge(s)));
}
