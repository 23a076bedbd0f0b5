// S1 (DESIGN.md "Performance", issue "API keys and the REST API"): an
// authenticated API request costs at most 10 % of the trivial route's
// throughput, and refusing a random key is no slower than serving a good one
// (a flood of made-up keys must not be the expensive path).
import { createHash, randomBytes } from "node:crypto";
import { compareInterleaved } from "../measure.mjs";
import { atLeast, row } from "../report.mjs";
import { benchOrganization } from "../fixtures.mjs";
import { BASE62, formatKey } from "../../../lib/api-keys/key-format.ts";

const randomBody = () => Array.from(randomBytes(32), (b) => BASE62[b % 62]).join("");

/** A key for the bench owner inserted directly (fixture, not under test), with a limit the load cannot reach. */
async function benchKey(deployment, orgId, ownerId) {
  const raw = formatKey(randomBody());
  const now = new Date();
  await deployment.sql.run(
    `INSERT INTO "ApiKey" ("id", "organizationId", "name", "prefix", "hash", "ownerId", "scopes", "rateLimitPerMinute", "expiresAt", "createdAt", "createdById", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    randomBytes(16).toString("base64url"),
    orgId,
    "bench",
    raw.slice(4, 12),
    createHash("sha256").update(raw).digest("hex"),
    ownerId,
    JSON.stringify(["props:read"]),
    1_000_000_000,
    new Date(now.getTime() + 86_400_000),
    now,
    ownerId,
    now,
  );
  return raw;
}

/** @type {import("./index.mjs").Scenario} */
export default {
  id: "S1",
  title: "API key check",
  instances: { sqlite: 1, postgres: 2 },
  async run(ctx, deployment) {
    const { orgId, ownerId } = await benchOrganization(deployment);
    const [first] = deployment.instances;
    const key = await benchKey(deployment, orgId, ownerId);
    const auth = { authorization: `Bearer ${key}` };
    const targets = [
      { label: "GET /api/health/live (trivial)", url: `${first.url}/api/health/live`, headers: auth },
      { label: "GET /api/v1/me (good key)", url: `${first.url}/api/v1/me`, headers: auth },
      { label: "GET /api/v1/props (good key)", url: `${first.url}/api/v1/props?limit=10`, headers: auth },
      {
        label: "GET /api/v1/me (random keys, 401)",
        url: `${first.url}/api/v1/me`,
        // A new checksum-valid key on every request: each one is a cache miss and a lookup.
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${formatKey(randomBody())}` } }),
      },
    ];
    const probes = await Promise.all(targets.slice(0, 3).map((t) => fetch(t.url, { headers: t.headers }).then((r) => r.status)));
    if (probes.some((s) => s !== 200)) throw new Error(`a good key was refused before the load: ${probes.join(", ")}`);
    const refused = await fetch(targets[1].url, { headers: { authorization: `Bearer ${formatKey(randomBody())}` } });
    if (refused.status !== 401) throw new Error(`a random key answered ${refused.status}`);

    const [trivial, me, props, random] = await compareInterleaved(targets, { ...ctx, cpu: deployment.cpuSampler([first]) });
    return {
      rows: [
        row(targets[0].label, trivial, null),
        row(targets[1].label, me, trivial, { target: atLeast(0.9, "≥ 0.90 (≤ 10 % overhead)") }),
        row(targets[2].label, props, trivial, { note: "a resource list: one indexed query (for information)" }),
        row(targets[3].label, random, trivial, { expect: (status) => status === 401, note: "must be no slower than the good key" }),
      ],
      checks: [
        {
          label: "the 401 path is no slower than the 200 path",
          // Within measurement noise (5 %), in throughput.
          ok: random.rps >= me.rps * 0.95,
          detail: `${random.rps.toFixed(0)} req/s refusing random keys, ${me.rps.toFixed(0)} req/s with the good key`,
        },
      ],
      facts: [{ label: "API key check overhead", value: `${((1 - me.rps / trivial.rps) * 100).toFixed(1)} % of the trivial route's throughput` }],
    };
  },
};
