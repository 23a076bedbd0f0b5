// S4 (issue #11): the audit log at a million events. Seeds S4_EVENTS (default
// 1,000,000) correctly chained events into the bench organization straight
// into the database (multi-row INSERTs in one transaction per 20k rows on
// SQLite, 1k-row INSERTs on PostgreSQL; the append-only triggers only refuse
// UPDATE and DELETE, so nothing is switched off), then measures through
// `GET /api/v1/audit-events` with an `audit:read` key, one connection each:
// the newest page, a filtered page (one actor of 2,000), a page at depth
// 500k (`at=` the time of the 500,000th newest event), a text search, and
// a 100k-row JSON Lines export (wall time and the server's RSS).
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { load, round, summarize } from "../measure.mjs";
import { row } from "../report.mjs";
import { benchOrganization } from "../fixtures.mjs";
import { computeAuditHash, GENESIS_HASH } from "../../../lib/audit-hash.ts";
import { BASE62, formatKey } from "../../../lib/api-keys/key-format.ts";

const TOTAL = Number(process.env.S4_EVENTS ?? 1_000_000);
const ACTORS = 2000;
const ACTIONS = Array.from({ length: 50 }, (_, i) => `prop.bench_action_${String(i).padStart(2, "0")}`);
const STEP_MS = 30_000;
const NEEDLE_EVERY = 100_000;
const COLUMNS = `"id", "chain", "seq", "occurredAt", "organizationId", "actorType", "actorId", "actorLabel", "action", "resourceType", "resourceId", "resourceLabel", "outcome", "ip", "userAgent", "sessionId", "apiKeyId", "sudoGrantId", "metadata", "prevHash", "hash"`;

/** Event `i` (0 = oldest) of the seeded set, at `base - (TOTAL - i) * STEP_MS`. */
function eventAt(i, chain, seq, prevHash, base, onPostgres) {
  const occurredAt = new Date(base - (TOTAL - i) * STEP_MS);
  const actor = i % ACTORS;
  const fields = {
    id: `s4${String(i).padStart(8, "0")}`, chain, seq, occurredAt, organizationId: chain,
    actorType: "user", actorId: `actor${actor}`, actorLabel: `actor${actor}@bench.test`, action: ACTIONS[i % ACTIONS.length],
    resourceType: "prop", resourceId: `prop${i % 10_000}`, resourceLabel: `Prop ${i % 10_000}`,
    outcome: i % 20 === 0 ? "failure" : "success", ip: `198.51.${(i >> 8) & 255}.${i & 255}`, userAgent: "bench", sessionId: null, apiKeyId: null, sudoGrantId: null,
    metadata: JSON.stringify(i % NEEDLE_EVERY === 7 ? { ref: `needle-${i}` } : { ref: `r${i}` }), prevHash,
  };
  const hash = computeAuditHash(fields);
  const at = onPostgres ? occurredAt : occurredAt.toISOString().replace("Z", "+00:00");
  return { hash, params: [fields.id, chain, seq, at, chain, fields.actorType, fields.actorId, fields.actorLabel, fields.action, fields.resourceType, fields.resourceId, fields.resourceLabel, fields.outcome, fields.ip, fields.userAgent, null, null, null, fields.metadata, prevHash, hash] };
}

async function seed(sql, orgId, onPostgres, log) {
  const head = (await sql.all(`SELECT "seq", "hash" FROM "AuditEvent" WHERE "chain" = ? ORDER BY "seq" DESC LIMIT 1`, orgId))[0];
  let seq = Number(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  // Seeded events lie before the organization's own (bench set-up writes them now): start the chain's time base an hour ago.
  const base = Date.now() - 3_600_000;
  const rowsPerInsert = onPostgres ? 1000 : 500;
  const perTransaction = 20_000;
  const started = Date.now();
  for (let i = 0; i < TOTAL; ) {
    await sql.run("BEGIN");
    const end = Math.min(TOTAL, i + perTransaction);
    while (i < end) {
      const n = Math.min(rowsPerInsert, end - i);
      const params = [];
      for (let k = 0; k < n; k++, i++) {
        seq += 1;
        const e = eventAt(i, orgId, seq, prevHash, base, onPostgres);
        prevHash = e.hash;
        params.push(...e.params);
      }
      const tuple = `(${Array(21).fill("?").join(", ")})`;
      await sql.run(`INSERT INTO "AuditEvent" (${COLUMNS}) VALUES ${Array(n).fill(tuple).join(", ")}`, ...params);
    }
    await sql.run("COMMIT");
    if (i % 100_000 === 0) log(`  seeded ${i.toLocaleString("en-US")} events (${round((Date.now() - started) / 1000, 1)} s)`);
  }
  if (onPostgres) await sql.run(`ANALYZE "AuditEvent"`);
  else await sql.run(`ANALYZE`);
  return { seconds: round((Date.now() - started) / 1000, 1), base };
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? round(Number(m[1]) / 1024, 1) : null;
  } catch {
    return null;
  }
}

/** @type {import("./index.mjs").Scenario} */
export default {
  id: "S4",
  title: `audit log at ${TOTAL.toLocaleString("en-US")} events (pages, search, export)`,
  instances: { sqlite: 1, postgres: 1 },
  async run(ctx, deployment) {
    const { orgId, ownerId } = await benchOrganization(deployment);
    const { sql, instances } = deployment;
    const onPostgres = deployment.db === "postgres";
    const raw = formatKey(Array.from(randomBytes(32), (b) => BASE62[b % 62]).join(""));
    const now = new Date();
    await sql.run(
      `INSERT INTO "ApiKey" ("id", "organizationId", "name", "prefix", "hash", "ownerId", "scopes", "rateLimitPerMinute", "expiresAt", "createdAt", "createdById", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      // The per-key rate limit is not what S4 measures: this key may send a million requests a minute.
      randomBytes(12).toString("base64url"), orgId, "S4 audit reader", raw.slice(4, 12), createHash("sha256").update(raw).digest("hex"), ownerId, JSON.stringify(["audit:read"]), 1_000_000, new Date(now.getTime() + 86_400_000), now, ownerId, now,
    );
    ctx.log(`seeding ${TOTAL.toLocaleString("en-US")} audit events…`);
    const seeded = await seed(sql, orgId, onPostgres, ctx.log);
    const url = instances[0].url;
    const headers = { authorization: `Bearer ${raw}` };
    // Seeding held SQLite's write lock for minutes: the server may have marked the database
    // unreachable meanwhile. Wait until it answers an audit page again before measuring.
    for (let attempt = 1; ; attempt++) {
      const answer = await fetch(`${url}/api/v1/audit-events?limit=1`, { headers }).then((r) => r.status, (e) => `${e.message} (${e.cause?.code ?? e.cause?.message ?? "no cause"})`);
      if (answer === 200) break;
      ctx.log(`  waiting for the server after seeding: ${answer}`);
      if (attempt >= 30) throw new Error(`the server did not answer after seeding: ${answer}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const depthAt = new Date(seeded.base - 500_000 * STEP_MS).toISOString();
    const shapes = [
      ["newest page (50)", "/api/v1/audit-events?limit=50"],
      ["filtered page: one actor of 2,000", "/api/v1/audit-events?limit=50&actor=actor1234"],
      ["filtered page: failures", "/api/v1/audit-events?limit=50&outcome=failure"],
      ["page at depth 500k (at=)", `/api/v1/audit-events?limit=50&at=${encodeURIComponent(depthAt)}`],
      ["text search (metadata, 10 hits)", "/api/v1/audit-events?limit=50&q=needle-"],
    ];
    const rows = [];
    const checks = [];
    for (const [label, path] of shapes) {
      const first = await fetch(`${url}${path}`, { headers });
      const body = await first.json();
      checks.push({ label: `${label} answers 200 with events`, ok: first.status === 200 && Array.isArray(body.data ?? body.events) && (body.data ?? body.events).length > 0, detail: `status ${first.status}` });
      const summary = summarize(await load({ label, url: `${url}${path}`, headers }, { seconds: ctx.seconds, connections: 1 }));
      rows.push(row(`GET ${label}`, summary, null, { note: "one connection; target p99 ≤ 10 ms" }));
    }

    // The export: 100k rows (a window of 100k × 30 s), the body read to the end; RSS sampled meanwhile.
    const to = new Date(seeded.base - 100 * STEP_MS);
    const from = new Date(to.getTime() - (100_000 - 1) * STEP_MS);
    const pid = instances[0].serverPid ?? (await deployment.cpuSampler(instances)(), instances[0].serverPid);
    const rssBefore = pid ? rssMb(pid) : null;
    let rssPeak = rssBefore ?? 0;
    const sampler = setInterval(() => {
      const r = pid ? rssMb(pid) : null;
      if (r !== null && r > rssPeak) rssPeak = r;
    }, 50);
    const t0 = performance.now();
    const exported = await fetch(`${url}/api/v1/audit-events/export?format=jsonl&range=custom&from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`, { headers });
    let lines = 0;
    let bytes = 0;
    const reader = exported.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (const b of value) if (b === 10) lines += 1;
    }
    const exportMs = round(performance.now() - t0, 0);
    clearInterval(sampler);
    checks.push({ label: "export status 200", ok: exported.status === 200, detail: `status ${exported.status}` });
    checks.push({ label: "export holds 100,000 events (+ header and summary lines)", ok: lines >= 100_000 && lines <= 100_003, detail: `${lines} lines` });
    return {
      rows,
      checks,
      facts: [
        { label: "events seeded", value: TOTAL },
        { label: "seeding time (s)", value: seeded.seconds },
        { label: "export of 100k rows: wall time (ms)", value: exportMs },
        { label: "export: MB sent", value: round(bytes / 1e6, 1) },
        { label: "export: server RSS before / peak (MB)", value: `${rssBefore ?? "?"} / ${rssPeak || "?"}` },
      ],
    };
  },
};
