// What the scenarios need in the database, and real sessions from the real app.
// The organization and its people are inserted directly (there is no sign-up
// API to drive), with argon2id hashes made the way lib/server/auth/password.ts
// makes them; sessions come from next-auth's own credentials endpoint.
import { hash } from "@node-rs/argon2";
import { randomBytes } from "node:crypto";

/** A desktop Chrome; sent with every request so the session's browser never "changes". */
export const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 gatehouse-bench";

export const BENCH_ORG = "Bench Org";
export const OWNER = { email: "owner@bench.test", name: "Bench Owner", password: "bench owner correct horse battery" };
/** A member whose failed sign-ins the audit scenario drives (never signs in). */
export const TARGET = { email: "target@bench.test", name: "Bench Target", password: "bench target correct horse battery" };

const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
const newId = () => randomBytes(16).toString("base64url");

/**
 * The bench organization with its owner and a member, once per deployment.
 * @param {import("./deployments.mjs").Deployment} deployment
 * @returns {Promise<{ orgId: string, ownerId: string, targetId: string }>}
 */
export async function benchOrganization(deployment) {
  const memo = deployment.memo.get("organization");
  if (memo) return memo;
  const { sql } = deployment;
  const now = new Date();
  const orgId = newId();
  await sql.run(`INSERT INTO "Organization" ("id", "name", "slug", "require2fa", "createdAt") VALUES (?, ?, ?, ?, ?)`, orgId, BENCH_ORG, "bench-org", false, now);
  const ids = {};
  for (const [key, person, role] of [
    ["ownerId", OWNER, "owner"],
    ["targetId", TARGET, "member"],
  ]) {
    const userId = newId();
    await sql.run(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "passwordChangedAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
      userId,
      person.email,
      person.name,
      await hash(person.password, ARGON2),
      now,
      now,
      now,
    );
    await sql.run(
      `INSERT INTO "Membership" ("id", "userId", "organizationId", "role", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`,
      newId(),
      userId,
      orgId,
      role,
      now,
      now,
    );
    ids[key] = userId;
  }
  const org = { orgId, ownerId: ids.ownerId, targetId: ids.targetId };
  deployment.memo.set("organization", org);
  return org;
}

/** `name=value` pairs of a response's Set-Cookie headers. */
function cookiesOf(response) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    const eq = pair.indexOf("=");
    if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

const cookieHeader = (jar) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");

/**
 * next-auth's CSRF token and the cookie that pairs with it (reusable for many posts).
 * @returns {Promise<{ csrfToken: string, cookie: string }>}
 */
export async function csrfFor(baseUrl) {
  const response = await fetch(`${baseUrl}/api/auth/csrf`, { headers: { "user-agent": USER_AGENT } });
  if (!response.ok) throw new Error(`GET /api/auth/csrf answered ${response.status}`);
  const { csrfToken } = await response.json();
  const jar = cookiesOf(response);
  const csrfCookie = Object.keys(jar).find((name) => name.endsWith("gatehouse.csrf"));
  if (!csrfToken || !csrfCookie) throw new Error("GET /api/auth/csrf gave no token or cookie");
  return { csrfToken, cookie: `${csrfCookie}=${jar[csrfCookie]}` };
}

/** The form body of a password sign-in attempt. */
export function signInBody(csrfToken, email, password) {
  return new URLSearchParams({ csrfToken, email, password, callbackUrl: "/overview" }).toString();
}

/**
 * Sign in through next-auth's credentials endpoint, as the sign-in form does,
 * and return the Cookie header a browser would then send (session and device cookies).
 * @returns {Promise<string>}
 */
export async function signIn(baseUrl, email, password) {
  const { csrfToken, cookie } = await csrfFor(baseUrl);
  // A first visit gives the browser its device cookie (proxy.ts), as for a real one.
  const visit = await fetch(`${baseUrl}/sign-in`, { headers: { "user-agent": USER_AGENT }, redirect: "manual" });
  const jar = cookiesOf(visit);
  const response = await fetch(`${baseUrl}/api/auth/callback/password`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": USER_AGENT,
      cookie: `${cookie}; ${cookieHeader(jar)}`,
    },
    body: signInBody(csrfToken, email, password),
  });
  Object.assign(jar, cookiesOf(response));
  const session = Object.keys(jar).find((name) => name.endsWith("gatehouse.session"));
  if (!session) throw new Error(`sign-in as ${email} failed: ${response.status} ${response.headers.get("location") ?? ""}`);
  return cookieHeader(jar);
}
