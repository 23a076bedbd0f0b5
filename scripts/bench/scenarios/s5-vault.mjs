// S5 (issue "Secret vault", item "Tests and benchmarks"): the cost of an
// explicit reveal over HTTP (POST /api/v1/secrets/{id}/reveal: key check,
// visibility, decrypt, lastRevealedAt and an audit event, in one transaction),
// as p50/p99 and a ratio to the trivial route of the same server; and how long
// opening 1,000 sealed values takes (envelope decryption: unwrap the data key,
// then the value, AAD-bound), in this process, no database.
import { createHash, randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { compareInterleaved, round } from "../measure.mjs";
import { row } from "../report.mjs";
import { benchOrganization } from "../fixtures.mjs";
import { BASE62, formatKey } from "../../../lib/api-keys/key-format.ts";
import { openSecretValue, sealSecretValue } from "../../../lib/crypto/envelope.ts";

const randomBody = () => Array.from(randomBytes(32), (b) => BASE62[b % 62]).join("");

/** A secrets key for the bench owner, inserted directly (fixture, not under test), with a limit the load cannot reach. */
async function vaultKey(deployment, orgId, ownerId) {
  const raw = formatKey(randomBody());
  const now = new Date();
  await deployment.sql.run(
    `INSERT INTO "ApiKey" ("id", "organizationId", "name", "prefix", "hash", "ownerId", "scopes", "rateLimitPerMinute", "expiresAt", "createdAt", "createdById", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    randomBytes(16).toString("base64url"),
    orgId,
    "bench vault",
    raw.slice(4, 12),
    createHash("sha256").update(raw).digest("hex"),
    ownerId,
    JSON.stringify(["secrets:read", "secrets:write"]),
    1_000_000_000,
    new Date(now.getTime() + 86_400_000),
    now,
    ownerId,
    now,
  );
  return raw;
}

/** Seal 1,000 values under a random master key, then time opening them all (best of 5 runs, and the median). */
function decryptThousand() {
  const master = randomBytes(32);
  const sealed = Array.from({ length: 1000 }, (_, i) => {
    const binding = { id: randomBytes(16).toString("base64url"), name: `SECRET_${i}`, scopeKey: "organization" };
    return { binding, sealed: sealSecretValue(master, binding, randomBytes(24).toString("base64")) };
  });
  const runs = [];
  for (let run = 0; run < 5; run += 1) {
    const start = performance.now();
    for (const s of sealed) openSecretValue([master], s.binding, s.sealed);
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  return { bestMs: round(runs[0], 2), medianMs: round(runs[2], 2) };
}

/** @type {import("./index.mjs").Scenario} */
export default {
  id: "S5",
  title: "Vault reveal and decryption",
  instances: { sqlite: 1, postgres: 1 },
  async run(ctx, deployment) {
    const { orgId, ownerId } = await benchOrganization(deployment);
    const [first] = deployment.instances;
    const key = await vaultKey(deployment, orgId, ownerId);
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const created = await fetch(`${first.url}/api/v1/secrets`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ name: `BENCH_${randomBytes(4).toString("hex")}`, category: "infrastructure", value: randomBytes(24).toString("base64"), scope: "organization" }),
    });
    if (created.status !== 201) throw new Error(`creating the bench secret answered ${created.status}: ${await created.text()}`);
    const { id } = await created.json();
    const targets = [
      { label: "GET /api/health/live (trivial)", url: `${first.url}/api/health/live` },
      { label: "POST /api/v1/secrets/{id}/reveal", url: `${first.url}/api/v1/secrets/${id}/reveal`, method: "POST", headers: { authorization: auth.authorization } },
    ];
    const probe = await fetch(targets[1].url, { method: "POST", headers: targets[1].headers });
    if (probe.status !== 200) throw new Error(`a reveal answered ${probe.status} before the load`);
    const [trivial, reveal] = await compareInterleaved(targets, { ...ctx, cpu: deployment.cpuSampler([first]) });
    const decrypt = decryptThousand();
    const audited = await deployment.sql.all(`SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'secret.revealed' AND "resourceId" = ?`, id);
    const reveals = Number(audited[0]?.n ?? 0);
    return {
      rows: [row(targets[0].label, trivial, null), row(targets[1].label, reveal, trivial, { note: "decrypt + audit event + lastRevealedAt in one transaction (for information)" })],
      checks: [{ label: "every reveal was audited", ok: reveals >= reveal.responses, detail: `${reveals} secret.revealed events for ${reveal.responses} timed reveals` }],
      facts: [
        { label: "reveal p50 / p99", value: `${reveal.p50} / ${reveal.p99} ms (trivial route ${trivial.p50} / ${trivial.p99} ms)` },
        { label: "reveal throughput", value: `${((reveal.rps / trivial.rps) * 100).toFixed(1)} % of the trivial route's` },
        { label: "decrypt 1,000 secrets (in process)", value: `${decrypt.bestMs} ms best, ${decrypt.medianMs} ms median of 5` },
      ],
      extra: { decryptThousand: decrypt },
    };
  },
};
