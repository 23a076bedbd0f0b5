// `npm run gatehouse -- <command>` (also the package's `gatehouse` bin): the
// operator CLI for the server host. Every command is audited as actor `system`.
// Runs under tsx with `--conditions=react-server` so `server-only` imports load.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { getConfig } from "@/lib/server/config";
import { createDb, type Db } from "@/lib/server/db/client";
import { isAppError } from "@/lib/server/errors";
import { setupFirstOwner } from "@/lib/server/setup/setup-first-owner";
import { operatorActor } from "@/lib/server/cli/operator";
import { issueKeyAsOperator } from "@/lib/server/cli/issue-key";
import { revokeKeyAsOperator } from "@/lib/server/cli/revoke-key";
import { verifyOrganizationAudit } from "@/lib/server/cli/verify-org-audit";
import { pruneAuditAsOperator } from "@/lib/server/cli/prune-audit";
import { verifyAuditArchiveFile } from "@/lib/server/audit/prune-audit-events";
import { listSecretsAsOperator, setSecretAsOperator } from "@/lib/server/cli/secrets";
import { rewrapVault } from "@/lib/server/secrets/rewrap-vault";
import { resealMasterKeyRows } from "@/lib/server/secrets/reseal-master-key-rows";
import { emailSchema, newPasswordSchema, orgNameSchema, personNameSchema } from "@/lib/validations/auth";
import { parseExpiry, parseList, readPassword, readSecretValue, UsageError } from "./cli/input";

const HELP: Record<string, string> = {
  bootstrap: `  bootstrap --email <e> --name <n> --org <organization name> [--generate-password]
      Create the first owner and organization (refused once anyone exists).
      The password is read from stdin (typed without echo, or piped), never
      from the command line; --generate-password prints a new one once.
      Prints the organization's slug.`,
  keys: `  keys create --org <slug> --name <n> --scopes <a:read,b:write> [--expires 30d|12h|<ISO date>|never] [--owner <email>]
      Issue an API key owned by --owner (default: the organization's first
      owner) and print it once.
  keys revoke <key id>
      Revoke an API key.`,
  audit: `  audit verify --org <slug>
      Recompute the organization's audit hash chain; exit 1 if it is broken.
  audit prune [--org <slug>] [--days <30-3650>]
      Apply audit retention now (the worker does it daily): archive events
      older than the retention to AUDIT_ARCHIVE_DIR (default data/audit-archive)
      as JSON Lines, then remove them. Without --org, every organization that
      set a retention; --days overrides it for this run.
  audit verify-archive <file>
      Check an archive file on its own (hashes, links, summary); exit 1 if not.`,
  secret: `  secret set NAME --org <slug> [--scope organization|team:<team>|workspace:<team>/<workspace>] [--category provider|infrastructure|integration|agent]
      Create the secret, or give it a new value. The value is read from stdin
      (typed without echo, or piped), never from the command line.
  secret list --org <slug>
      Names, scopes and categories (never values).`,
  vault: `  vault rewrap [--batch <n>]
      Master-key rotation: start the servers with the new GATEHOUSE_MASTER_KEY
      and the old one as GATEHOUSE_MASTER_KEY_PREVIOUS, run this, then drop
      the old key. Rewraps every data key under the new key, in batches
      (resumable: run it again after an interruption); shows progress.`,
};
const MAIN_HELP = `Usage: gatehouse <command> [options]

Commands:
${HELP.bootstrap}
${HELP.keys}
${HELP.audit}
${HELP.secret}
${HELP.vault}

Reads DATABASE_URL and the rest of the configuration like the server does.
Exit codes: 0 done, 1 refused or failed, 2 usage error.`;

const out = (line: string) => process.stdout.write(`${line}\n`);

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required.`);
  return value;
}

/** A zod check of one option, as a usage error naming it. */
function checked<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }, value: string, name: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${name}: ${parsed.error.issues[0]?.message ?? "not valid"}`);
  return parsed.data;
}

async function bootstrap(db: Db, args: string[]) {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { email: { type: "string" }, name: { type: "string" }, org: { type: "string" }, "generate-password": { type: "boolean" } } });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}" (the password is never taken from the command line).`);
  const email = checked(emailSchema, required(values, "email"), "email");
  const name = checked(personNameSchema, required(values, "name"), "name");
  const orgName = checked(orgNameSchema, required(values, "org"), "org");
  const generated = values["generate-password"] ? randomBytes(18).toString("base64url") : null;
  const password = generated ?? (await readPassword("Password for the owner: "));
  const valid = newPasswordSchema.safeParse(password);
  if (!valid.success) throw new UsageError(`The password from stdin: ${valid.error.issues[0]?.message}`);
  const created = await setupFirstOwner(db, { email, name, orgName, password, operator: operatorActor("bootstrap") });
  out(`Created the owner ${email} and the organization "${orgName}".`);
  if (generated) out(`password: ${generated}   (shown once: store it now)`);
  out(`organization slug: ${created.orgSlug}`);
}

async function keys(db: Db, args: string[]) {
  const [sub, ...rest] = args;
  if (sub === "create") {
    const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { org: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, expires: { type: "string" }, owner: { type: "string" } } });
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const expiry = parseExpiry(values.expires);
    const created = await issueKeyAsOperator(db, { orgSlug: required(values, "org"), ownerEmail: values.owner, name: required(values, "name"), scopes: parseList(required(values, "scopes")), ...expiry });
    out(`Issued "${created.key.name}" (id ${created.key.id}) in ${created.org.slug}, owned by ${created.owner.email}, scopes ${created.key.scopes.join(" ")}, ${created.key.expiresAt ? `expires ${created.key.expiresAt.toISOString()}` : "no expiry"}.`);
    out(`key: ${created.raw}   (shown once: store it now)`);
    return;
  }
  if (sub === "revoke") {
    // Key ids are base64url and may start with "-": the one argument is the id, whatever it looks like.
    const positionals = rest[0] === "--" ? rest.slice(1) : rest;
    if (positionals.length !== 1 || positionals[0] === "") throw new UsageError("Name exactly one key id: gatehouse keys revoke <key id>.");
    const key = await revokeKeyAsOperator(db, positionals[0]);
    out(`Revoked "${key.name}" (id ${key.id}).`);
    return;
  }
  throw new UsageError(sub ? `Unknown command "keys ${sub}".` : "keys needs a command: create or revoke.");
}

async function audit(db: Db, args: string[]) {
  const [sub, ...rest] = args;
  if (sub === "prune") return auditPrune(db, rest);
  if (sub === "verify-archive") {
    if (rest.length !== 1) throw new UsageError("Name one archive file: gatehouse audit verify-archive <file>.");
    const result = await verifyAuditArchiveFile(rest[0]);
    if (result.ok) {
      out(`The archive is intact: events #${result.fromSeq} to #${result.headSeq} (${result.count}), following ${result.prevHash}.`);
      out(`Head: #${result.headSeq} ${result.headHash} (the chain in the database continues from it).`);
      return 0;
    }
    process.stderr.write(`gatehouse: the archive does not verify at line ${result.line}: ${result.reason}.\n`);
    return 1;
  }
  if (sub !== "verify") throw new UsageError(sub ? `Unknown command "audit ${sub}".` : "audit needs a command: verify, prune or verify-archive.");
  const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { org: { type: "string" } } });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const { org, result } = await verifyOrganizationAudit(db, required(values, "org"));
  if (result.ok) {
    out(`The audit chain of ${org.slug} is intact: ${result.checked} events checked.`);
    if (result.head) out(`Head: #${result.head.seq} ${result.head.hash} (save it to prove later that nothing up to here was rewritten).`);
    return 0;
  }
  process.stderr.write(
    `gatehouse: the audit chain of ${org.slug} is broken at event #${result.brokenAtSeq} (${result.reason}): event ${result.eventId}, expected ${result.expected}, found ${result.found}; ${result.checked} events before it are intact.\n`,
  );
  return 1;
}

async function auditPrune(db: Db, args: string[]) {
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { org: { type: "string" }, days: { type: "string" } } });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const days = values.days === undefined ? undefined : /^\d+$/.test(values.days) ? Number(values.days) : NaN;
  if (days !== undefined && Number.isNaN(days)) throw new UsageError("--days must be a whole number of days.");
  const outcomes = await pruneAuditAsOperator(db, { orgSlug: values.org, days });
  if (outcomes.length === 0) out("No organization has an audit retention set: events are kept forever.");
  for (const { org, retentionDays, result } of outcomes) {
    if (retentionDays === null) out(`${org.slug}: no retention set (events are kept forever); pass --days to prune anyway.`);
    else if (!result) out(`${org.slug}: nothing older than ${retentionDays} days.`);
    else out(`${org.slug}: archived and removed events #${result.fromSeq} to #${result.cutSeq} (${result.archived}) to ${result.file}; the chain continues from ${result.headHash}.`);
  }
  return 0;
}

async function secret(db: Db, args: string[]) {
  const [sub, ...rest] = args;
  if (sub === "set") {
    const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { org: { type: "string" }, scope: { type: "string" }, category: { type: "string" } } });
    if (positionals.length !== 1) throw new UsageError("Name exactly one secret: gatehouse secret set NAME --org <slug> (the value comes from stdin, never the command line).");
    const value = await readSecretValue(`Value for ${positionals[0]}: `);
    if (value === "") throw new UsageError("The value from stdin is empty.");
    const { org, created } = await setSecretAsOperator(db, { orgSlug: required(values, "org"), name: positionals[0], scope: values.scope, category: values.category, value });
    out(`${created ? "Created" : "Updated"} ${positionals[0]} (${values.scope ?? "organization"}) in ${org.slug}.`);
    return;
  }
  if (sub === "list") {
    const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { org: { type: "string" } } });
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const { secrets } = await listSecretsAsOperator(db, required(values, "org"));
    for (const s of secrets) out(`${s.name}\t${s.scopeLabel}\t${s.category}`);
    if (secrets.length === 0) out("No secrets.");
    return;
  }
  throw new UsageError(sub ? `Unknown command "secret ${sub}".` : "secret needs a command: set or list.");
}

async function vault(db: Db, args: string[]) {
  const [sub, ...rest] = args;
  if (sub !== "rewrap") throw new UsageError(sub ? `Unknown command "vault ${sub}".` : "vault needs a command: rewrap.");
  const { values, positionals } = parseArgs({ args: rest, strict: true, allowPositionals: true, options: { batch: { type: "string" } } });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const batchSize = values.batch === undefined ? 200 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError("--batch: a whole number from 1 to 10000.");
  const { masterKey, previousMasterKey } = getConfig();
  if (!masterKey) throw new UsageError("GATEHOUSE_MASTER_KEY is not set.");
  const result = await rewrapVault(db, {
    current: masterKey,
    previous: previousMasterKey ? [previousMasterKey] : [],
    actor: operatorActor("vault rewrap"),
    batchSize,
    onProgress: (p) => process.stderr.write(`rewrapped ${p.rewrapped} of ${p.total}${p.failed.length ? `, ${p.failed.length} failed` : ""}\n`),
  });
  out(`Rewrapped ${result.rewrapped} of ${result.total} data keys under the current master key.`);
  // Then the 2FA secrets, recovery-code hash keys and webhook signing secrets sealed with the master key.
  const resealed = await resealMasterKeyRows(db, {
    current: masterKey,
    previous: previousMasterKey ? [previousMasterKey] : [],
    actor: operatorActor("vault rewrap"),
    batchSize,
    onProgress: (p) => process.stderr.write(`checked ${p.checked} of ${p.total} 2FA and webhook rows, resealed ${p.resealed}${p.failed.length ? `, ${p.failed.length} failed` : ""}\n`),
  });
  out(`Resealed ${resealed.resealed} 2FA and webhook secrets (of ${resealed.total} checked) under the current master key.`);
  if (result.failed.length > 0) {
    process.stderr.write(`gatehouse: ${result.failed.length} secrets could not be opened with GATEHOUSE_MASTER_KEY or GATEHOUSE_MASTER_KEY_PREVIOUS (ids: ${result.failed.slice(0, 10).join(", ")}${result.failed.length > 10 ? ", …" : ""}).\n`);
  }
  if (resealed.failed.length > 0) {
    process.stderr.write(`gatehouse: ${resealed.failed.length} 2FA or webhook rows could not be opened with GATEHOUSE_MASTER_KEY or GATEHOUSE_MASTER_KEY_PREVIOUS (${resealed.failed.slice(0, 10).join(", ")}${resealed.failed.length > 10 ? ", …" : ""}).\n`);
  }
  return result.failed.length > 0 || resealed.failed.length > 0 ? 1 : 0;
}

const COMMANDS: Record<string, (db: Db, args: string[]) => Promise<number | void>> = { bootstrap, keys, audit, secret, vault };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    out(MAIN_HELP);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`Unknown command "${command}".`);
  if (args.includes("--help") || args.includes("-h")) {
    out(`Usage:\n${HELP[command]}`);
    return 0;
  }
  // Before anything else: a password on the command line ends up in shell history and `ps`.
  if (args.some((a) => /^--?(password|pass|pw)(=|$)/i.test(a))) throw new UsageError("Passwords are never taken from the command line: pipe the password on stdin, type it when asked, or use --generate-password.");
  if (args.some((a) => /^--?(value|secret)(=|$)/i.test(a))) throw new UsageError("Secret values are never taken from the command line: pipe the value on stdin or type it when asked.");
  const db = createDb(getConfig().databaseUrl);
  try {
    return (await run(db, args)) ?? 0;
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`gatehouse: ${error.message}\nRun "gatehouse --help" for usage.\n`);
      process.exit(2);
    }
    if (isAppError(error)) {
      process.stderr.write(`gatehouse: ${error.message}${error.details?.fieldErrors ? ` ${Object.values(error.details.fieldErrors).flat().join(" ")}` : ""}\n`);
      process.exit(1);
    }
    process.stderr.write(`gatehouse: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
