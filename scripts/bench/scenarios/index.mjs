// Every benchmark scenario, in the order `npm run bench` runs them. A new
// scenario (S1, S3–S7 of DESIGN.md "Performance") is one module here: it states
// how many instances it wants per database, and `run` measures one deployment
// and returns rows (each against the trivial route of the same server, measured
// in the same run), checks (correctness; a failed one fails the run) and facts.
import s1ApiKey from "./s1-api-key.mjs";
import s2Session from "./s2-session.mjs";
import auditAppend from "./audit-append.mjs";
import s3Webhooks from "./s3-webhooks.mjs";
import s5Vault from "./s5-vault.mjs";
import s4AuditScale from "./s4-audit-scale.mjs";

/**
 * @typedef {object} Context
 * @property {number} seconds       per measurement
 * @property {number} connections
 * @property {(line: string) => void} log
 *
 * @typedef {object} Outcome
 * @property {import("../report.mjs").Row[]} rows
 * @property {{ label: string, ok: boolean, detail?: string }[]} checks
 * @property {{ label: string, value: string | number }[]} facts
 * @property {Record<string, unknown>} [extra]   more numbers for the JSON file
 *
 * @typedef {object} Scenario
 * @property {string} id                 what --only matches (case-insensitive)
 * @property {string} title
 * @property {Partial<Record<"sqlite" | "postgres", number>>} instances  databases it runs on, with how many instances
 * @property {(ctx: Context, deployment: import("../deployments.mjs").Deployment) => Promise<Outcome>} run
 */

/** @type {Scenario[]} */
export const SCENARIOS = [s1ApiKey, s2Session, auditAppend, s3Webhooks, s4AuditScale, s5Vault];
