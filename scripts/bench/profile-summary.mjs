// Where a server's CPU time went, from a profile written by `npm run bench -- --cpu-prof`:
//
//   node scripts/bench/profile-summary.mjs <file.cpuprofile> [--top 25] [--match <regex>]
//
// Prints self time by package (node_modules/<name>, the app's own chunks, node
// internals, GC, idle) and by function; with --match, the inclusive time of the
// functions whose name matches (e.g. --match 'loadSession|findUnique').
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "25" }, match: { type: "string" } } });
if (positionals.length !== 1) {
  console.error("usage: node scripts/bench/profile-summary.mjs <file.cpuprofile> [--top 25] [--match <regex>]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], "utf8"));
const top = Number(values.top);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(frame) {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes("/.next/server/")) return "app (.next/server)";
  if (url.startsWith("node:")) return "node internals";
  return url.replace(/^file:\/\//, "");
}

const sum = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
const areas = new Map();
const functions = new Map();
for (const [id, us] of self) {
  const frame = byId.get(id).callFrame;
  sum(areas, area(frame), us);
  sum(functions, `${frame.functionName || "(anonymous)"}  ${area(frame)}:${frame.lineNumber + 1}`, us);
}

const pct = (us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
};
console.log(`${positionals[0]}: ${(total / 1e6).toFixed(1)} s sampled`);
print("self time by package", areas);
print("self time by function", functions);

if (values.match) {
  // Inclusive time: a sample counts once for each matching function on its stack.
  const pattern = new RegExp(values.match);
  const inclusive = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (pattern.test(name) && !seen.has(name)) {
        seen.add(name);
        sum(inclusive, name, us);
      }
    }
  }
  print(`inclusive time of functions matching /${values.match}/`, inclusive);
}
