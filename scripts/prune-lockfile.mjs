#!/usr/bin/env node
// Makes package-lock.json installable with `npm ci` on our build machines.
//
// Why: the npm registry these machines reach serves only the platform builds
// they can run. npm 11 still lists every platform variant of a package's
// optionalDependencies (e.g. @next/swc-darwin-arm64) in the lock, but writes no
// entry for the variants it could not resolve, and `npm ci` then refuses the
// lock ("Missing: … from lock file"). This removes those dangling optional
// edges, which only ever pointed at binaries for other platforms. Run it after
// any `npm install` that changes the lock: `npm run lockfile:prune`.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "package-lock.json");
const lock = JSON.parse(readFileSync(file, "utf8"));
const present = new Set(Object.keys(lock.packages).map((key) => key.replace(/^.*node_modules\//, "")));

const removed = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (present.has(name)) continue;
    delete entry.optionalDependencies[name];
    removed.push(`${key || "(root)"} → ${name}`);
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}

writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(removed.length ? `pruned ${removed.length} optional edges to unavailable platform packages:\n  ${removed.join("\n  ")}` : "lockfile already installable");
