// How results are judged, printed and saved.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { round } from "./measure.mjs";

/**
 * @typedef {object} TargetSpec
 * @property {string} text             how DESIGN.md states it, e.g. "≤ 5 % overhead"
 * @property {(ratio: number) => boolean} met
 *
 * @typedef {object} Row  one measured request shape
 * @property {string} label
 * @property {number} rps
 * @property {number} p50
 * @property {number} p99
 * @property {number | null} ratio      rps ÷ the trivial route's rps (null for the baseline itself)
 * @property {number | null} cpuMsPerRequest     server CPU per response (app, plus PostgreSQL's backends)
 * @property {number | null} appCpuMsPerRequest the app servers' share
 * @property {number | null} cpuRatio   the trivial route's CPU per response ÷ this one's: the throughput
 *   ratio a CPU-bound server would show, much steadier than `ratio` on a busy machine
 * @property {{ text: string, met: boolean, metByCpu: boolean | null } | null} target  judged on `ratio`, as DESIGN.md states it
 * @property {number} responses
 * @property {Record<string, number>} statuses
 * @property {number} unexpected       responses with a status this shape should not get
 * @property {number} errors           connection errors and timeouts
 * @property {string} [note]
 *
 * @typedef {object} Section  one scenario on one deployment
 * @property {string} scenario
 * @property {string} title
 * @property {string} deployment
 * @property {Row[]} rows
 * @property {{ label: string, ok: boolean, detail?: string }[]} checks   correctness: a failed check fails the run
 * @property {{ label: string, value: string | number }[]} facts          for information
 */

/** Throughput at least `min` × the trivial route's. */
export const atLeast = (min, text) => ({ text, met: (ratio) => ratio >= min });

/**
 * A row from a summary, judged against the baseline.
 * @param {string} label
 * @param {import("./measure.mjs").Summary} summary
 * @param {import("./measure.mjs").Summary | null} baseline  null: this is the baseline
 * @param {{ target?: TargetSpec, note?: string, expect?: (status: number) => boolean }} [options]
 *   expect: which statuses are right for this shape (default 2xx); others are counted as unexpected
 * @returns {Row}
 */
export function row(label, summary, baseline, { target, note, expect = (status) => status >= 200 && status < 300 } = {}) {
  const ratio = baseline ? round(summary.rps / baseline.rps, 3) : null;
  const cpuRatio = baseline?.cpuMsPerRequest && summary.cpuMsPerRequest ? round(baseline.cpuMsPerRequest / summary.cpuMsPerRequest, 3) : null;
  const unexpected = Object.entries(summary.statuses).reduce((n, [code, count]) => n + (expect(Number(code)) ? 0 : count), 0);
  return {
    label,
    rps: summary.rps,
    p50: summary.p50,
    p99: summary.p99,
    ratio,
    cpuMsPerRequest: summary.cpuMsPerRequest,
    appCpuMsPerRequest: summary.appCpuMsPerRequest,
    cpuRatio,
    target: target && ratio !== null ? { text: target.text, met: target.met(ratio), metByCpu: cpuRatio === null ? null : target.met(cpuRatio) } : null,
    responses: summary.responses,
    statuses: summary.statuses,
    unexpected,
    errors: summary.errors,
    ...(note ? { note } : {}),
  };
}

const pad = (s, n, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));

/** @param {Section} section */
export function formatSection(section, { seconds, connections }) {
  const lines = [`\n${section.scenario} ${section.title} — ${section.deployment} (${connections} connections, ${seconds} s per measurement)`];
  const head = ["measurement", "req/s", "p50 ms", "p99 ms", "ratio", "CPU ms/req", "CPU ratio", "target", "result"];
  const num = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
  const body = section.rows.map((r) => [
    r.label,
    num(r.rps, 1),
    num(r.p50, 2),
    num(r.p99, 2),
    r.ratio === null ? "1 (base)" : r.ratio.toFixed(3),
    num(r.cpuMsPerRequest ?? NaN, 2),
    r.ratio === null ? "1 (base)" : num(r.cpuRatio ?? NaN, 3),
    r.target?.text ?? "—",
    r.target ? (r.target.met ? "MET" : "MISSED") : r.ratio === null ? "" : "info",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells) => `  ${cells.map((c, i) => pad(c, widths[i], i >= 1 && i <= 6)).join("  ")}`.trimEnd();
  lines.push(fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...body.map(fmt));
  for (const r of section.rows) {
    if (r.errors || r.unexpected) lines.push(`  ! ${r.label}: ${r.unexpected} unexpected statuses, ${r.errors} errors (${JSON.stringify(r.statuses)})`);
    if (r.note) lines.push(`  · ${r.label}: ${r.note}`);
    if (r.target && r.target.metByCpu !== null && r.target.metByCpu !== r.target.met) {
      lines.push(`  ! ${r.label}: by CPU per request the target is ${r.target.metByCpu ? "met" : "missed"}; they disagree, and the throughput ratio is the noisier of the two on a shared machine`);
    }
  }
  for (const f of section.facts) lines.push(`  · ${f.label}: ${f.value}`);
  for (const c of section.checks) lines.push(`  ${c.ok ? "✓" : "✗"} ${c.label}${c.detail ? ` (${c.detail})` : ""}`);
  return lines.join("\n");
}

/** The machine, so a reader can tell a loaded run from a quiet one. */
export function machine() {
  return {
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Write bench-results/<timestamp>.json and return its path. */
export function saveResults(root, startedAt, payload) {
  const dir = path.join(root, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(payload, null, 2) + "\n");
  return file;
}
