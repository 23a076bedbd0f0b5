// S2 (DESIGN.md "Performance"): the session check on console requests costs
// at most 5 % of the trivial route's throughput, and revoking a session is
// effective on the next request (on every instance).
import { compareInterleaved } from "../measure.mjs";
import { atLeast, row } from "../report.mjs";
import { OWNER, USER_AGENT, benchOrganization, signIn } from "../fixtures.mjs";

/** @type {import("./index.mjs").Scenario} */
export default {
  id: "S2",
  title: "session check",
  instances: { sqlite: 1, postgres: 2 },
  async run(ctx, deployment) {
    const { ownerId } = await benchOrganization(deployment);
    const [first] = deployment.instances;
    const cookie = await signIn(first.url, OWNER.email, OWNER.password);
    // The same browser headers on every shape: the only difference is what the route does with them.
    const headers = { cookie, "user-agent": USER_AGENT };
    const targets = [
      { label: "GET /api/health/live (trivial)", url: `${first.url}/api/health/live`, headers },
      { label: "GET /api/session", url: `${first.url}/api/session`, headers },
      { label: "GET /overview (console page)", url: `${first.url}/overview`, headers },
    ];
    for (const t of targets) {
      const response = await fetch(t.url, { headers, redirect: "manual" });
      if (response.status !== 200) throw new Error(`${t.label} answered ${response.status} for a signed-in owner`);
    }
    const me = await (await fetch(targets[1].url, { headers })).json();
    if (me?.user?.email !== OWNER.email || me?.trust_state !== "trusted") throw new Error(`GET /api/session: unexpected ${JSON.stringify(me)}`);

    const [trivial, session, page] = await compareInterleaved(targets, { ...ctx, cpu: deployment.cpuSampler([first]) });
    const rows = [
      row(targets[0].label, trivial, null),
      row(targets[1].label, session, trivial, { target: atLeast(0.95, "≥ 0.95 (≤ 5 % overhead)") }),
      row(targets[2].label, page, trivial, { note: "renders a whole page (for information, no target)" }),
    ];

    const revocation = await revocationCheck(deployment, ownerId);
    return {
      rows,
      checks: [{ label: "revocation effective on the next request", ok: revocation.ok, detail: revocation.detail }],
      facts: [
        {
          label: "session check overhead",
          value:
            `${((1 - session.rps / trivial.rps) * 100).toFixed(1)} % of the trivial route's throughput` +
            (session.cpuMsPerRequest && trivial.cpuMsPerRequest
              ? `; +${(session.cpuMsPerRequest - trivial.cpuMsPerRequest).toFixed(2)} ms server CPU per request (app ${(session.appCpuMsPerRequest - trivial.appCpuMsPerRequest).toFixed(2)} ms)`
              : ""),
        },
      ],
    };
  },
};

/**
 * A fresh session answers 200 on every instance (so anything an instance keeps
 * about it is warm); its row is deleted in the database; the very next request
 * to each instance must answer 401.
 */
async function revocationCheck(deployment, ownerId) {
  const { sql, instances } = deployment;
  const sessionIds = async () => new Set((await sql.all(`SELECT "id" FROM "Session" WHERE "userId" = ?`, ownerId)).map((r) => r.id));
  const before = await sessionIds();
  const cookie = await signIn(instances[0].url, OWNER.email, OWNER.password);
  const fresh = [...(await sessionIds())].filter((id) => !before.has(id));
  if (fresh.length !== 1) return { ok: false, detail: `expected one new session row, found ${fresh.length}` };
  const ask = (instance) => fetch(`${instance.url}/api/session`, { headers: { cookie, "user-agent": USER_AGENT } }).then((r) => r.status);
  const live = [];
  for (const instance of instances) live.push(await ask(instance));
  const deleted = await sql.run(`DELETE FROM "Session" WHERE "id" = ?`, fresh[0]);
  const after = [];
  for (const instance of instances) after.push(await ask(instance));
  const ok = deleted === 1 && live.every((s) => s === 200) && after.every((s) => s === 401);
  return { ok, detail: instances.map((instance, i) => `instance ${instance.n}: ${live[i]} → ${after[i]}`).join(", ") };
}
