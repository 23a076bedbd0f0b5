// Audit append rate (issue #7): requests that each append one event to the same
// organization's chain, spread over every instance at once (two on PostgreSQL,
// one on SQLite for comparison), then the chain is checked for gaps and forks.
//
// The request is a sign-in attempt for a member whose account is locked on the
// client's network: the rate limiter refuses it before argon2 (a read of the
// buckets) and records a `user.sign_in` `denied` event in the member's
// organization (lib/server/auth/sign-in-with-password.ts). That is the cheapest
// audited request there is, so the append path, not password hashing,
// dominates. When the lock expires during a long run one attempt reaches argon2,
// fails and locks again; it too writes exactly one event.
import { loadTogether, round, summarize } from "../measure.mjs";
import { row } from "../report.mjs";
import { TARGET, USER_AGENT, benchOrganization, csrfFor, signInBody } from "../fixtures.mjs";
import { checkAuditChain } from "../audit-chain.mjs";

const WRONG_PASSWORD = "not the password of the bench target";

/** Split `total` connections over `n` instances (each at least 1). */
const split = (total, n) => Array.from({ length: n }, (_, i) => Math.max(1, Math.floor(total / n) + (i < total % n ? 1 : 0)));

/** @type {import("./index.mjs").Scenario} */
export default {
  id: "audit",
  title: "append, every instance writing to one organization",
  instances: { sqlite: 1, postgres: 2 },
  async run(ctx, deployment) {
    const { orgId } = await benchOrganization(deployment);
    const { sql, instances } = deployment;
    // One CSRF token and cookie serve every attempt on every instance (same secret).
    const { csrfToken, cookie } = await csrfFor(instances[0].url);
    const attempt = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": USER_AGENT, cookie },
      body: signInBody(csrfToken, TARGET.email, WRONG_PASSWORD),
    };

    // Fail from this network until the account is locked here (5 failures: policies.ts).
    let locked = false;
    for (let i = 0; i < 10 && !locked; i++) {
      const response = await fetch(`${instances[0].url}/api/auth/callback/password`, { ...attempt, redirect: "manual" });
      const error = new URL(response.headers.get("location") ?? "/", instances[0].url).searchParams.get("error") ?? "";
      locked = /too many/i.test(error);
    }
    if (!locked) throw new Error("the bench member's sign-in was not rate-limited after 10 failures");

    const connectionsEach = split(ctx.connections, instances.length);
    const trivialTargets = instances.map((i) => ({ label: "trivial", url: `${i.url}/api/health/live`, headers: { cookie, "user-agent": USER_AGENT } }));
    const attemptTargets = instances.map((i) => ({ label: "attempt", url: `${i.url}/api/auth/callback/password`, ...attempt }));
    const warmup = Math.min(2, ctx.seconds / 2);
    for (const targets of [trivialTargets, attemptTargets]) await loadTogether(targets, { connectionsEach, seconds: warmup });
    const cpu = deployment.cpuSampler(instances);
    const trivial = summarize(await loadTogether(trivialTargets, { seconds: ctx.seconds, connectionsEach, cpu }));

    const head = Number((await sql.all(`SELECT MAX("seq") AS "head" FROM "AuditEvent" WHERE "chain" = ?`, orgId))[0]?.head ?? 0);
    const stopWatching = deployment.db === "postgres" ? watchLockWaits(sql) : null;
    const flood = await loadTogether(attemptTargets, { seconds: ctx.seconds, connectionsEach, cpu });
    const lockWaits = stopWatching ? await stopWatching() : null;
    const { from: windowStart, to: windowEnd } = flood.window;
    const attempts = summarize(flood);
    // Let the requests still in flight when the load stopped finish their writes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const written = await sql.all(`SELECT "occurredAt", "outcome", "action" FROM "AuditEvent" WHERE "chain" = ? AND "seq" > ?`, orgId, head);
    const inWindow = written.filter((e) => {
      const t = new Date(e.occurredAt).getTime();
      return t >= windowStart && t <= windowEnd;
    }).length;
    const eventsPerSecond = round(inWindow / ((windowEnd - windowStart) / 1000), 1);
    const byOutcome = {};
    for (const e of written) byOutcome[`${e.action} ${e.outcome}`] = (byOutcome[`${e.action} ${e.outcome}`] ?? 0) + 1;

    const chain = await checkAuditChain(sql, orgId);
    const where = (at) => (at === null ? undefined : `first at seq ${at}`);
    const label = instances.length > 1 ? `POST sign-in attempt → ${instances.length} instances` : "POST sign-in attempt";
    return {
      rows: [
        row(instances.length > 1 ? `GET /api/health/live (trivial) → ${instances.length} instances` : "GET /api/health/live (trivial)", trivial, null),
        row(label, attempts, trivial, {
          note: "each writes one audit event (for information, no target)",
          expect: (status) => status === 302,
        }),
      ],
      facts: [
        { label: "audit events appended per second", value: `${eventsPerSecond} (${inWindow} in the ${round((windowEnd - windowStart) / 1000, 1)} s window)` },
        { label: "events written by the run", value: Object.entries(byOutcome).map(([k, n]) => `${n} ${k}`).join(", ") || "none" },
        { label: "connections per instance", value: connectionsEach.join(" + ") },
        ...(lockWaits
          ? [{ label: "PostgreSQL backends of the run, sampled every 200 ms", value: `${lockWaits.waiting} waiting on an advisory lock (the chain's or a rate-limit bucket's), ${lockWaits.active} active in all, on average` }]
          : []),
      ],
      checks: [
        { label: "every answered attempt wrote its event", ok: written.length >= flood.allResponses, detail: `${flood.allResponses} answered, ${written.length} events` },
        { label: `audit chain has no gap (seq 1..${chain.events})`, ok: chain.gapAt === null, detail: where(chain.gapAt) },
        { label: "audit chain has no fork (each prevHash = the previous hash)", ok: chain.forkAt === null, detail: where(chain.forkAt) },
        { label: "every audit hash recomputes", ok: chain.badHashAt === null, detail: where(chain.badHashAt) },
      ],
      extra: { lockWaits, eventsPerSecond, eventsInWindow: inWindow, eventsWritten: written.length, byOutcome, chainLength: chain.events },
    };
  },
};

/**
 * Sample pg_stat_activity while the load runs: how many of the database's
 * backends wait on an advisory lock (lib/server/db/postgres/dialect.ts) and how
 * many are busy. Returns a function that stops sampling and gives the averages.
 */
function watchLockWaits(sql) {
  const samples = [];
  const timer = setInterval(() => {
    sql
      .all(
        `SELECT COUNT(*) FILTER (WHERE "wait_event_type" = 'Lock' AND "wait_event" = 'advisory') AS "waiting",
                COUNT(*) FILTER (WHERE "state" <> 'idle') AS "active"
           FROM pg_stat_activity WHERE "datname" = current_database() AND "pid" <> pg_backend_pid()`,
      )
      .then((rows) => samples.push(rows[0]), () => {});
  }, 200);
  return async () => {
    clearInterval(timer);
    const avg = (key) => round(samples.reduce((n, s) => n + Number(s[key]), 0) / Math.max(1, samples.length), 1);
    return { waiting: avg("waiting"), active: avg("active"), samples: samples.length };
  };
}
