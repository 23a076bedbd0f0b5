import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { startFakeAwsSecretsManager, type FakeAws } from "@/test/support/fake-aws-secrets-manager";
import { startFakeVault, type FakeVault } from "@/test/support/fake-vault";
import type { Actor } from "@/lib/server/audit/actor";
import { createSecret } from "../create-secret";
import { updateSecret } from "../update-secret";
import { deleteSecret } from "../delete-secret";
import { revealSecret } from "../reveal-secret";
import { listSecrets } from "../list-secrets";
import { rewrapVault } from "../rewrap-vault";
import type { SecretViewer } from "../secret-access";
import { awsSecretsManagerBackend } from "./aws-secrets-manager";
import { vaultBackend } from "./vault";
import { dbBackend } from "./db";
import { CANARY_VALUE, SecretsBackendError, type SecretsBackend } from "./types";

/**
 * The external backends through the console's own functions (create, update =
 * rotate, reveal, delete) and their official clients (the AWS SDK; Vault's HTTP
 * API), against loopback servers speaking the real wire protocols, on both
 * databases. The value must live only in the backend: never in a row, an
 * audit event or an error.
 */

const AWS_CREDS = { accessKeyId: "AKIDGATEHOUSETEST", secretAccessKey: "gatehouse-test-secret-access-key-0001" };
const REGION = "eu-west-1";
const VAULT_TOKEN = "hvs.gatehouse-test-token";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
let aws: FakeAws;
let vault: FakeVault;
let approleVault: FakeVault;
const OWNER = "olive@acme.test";
const actor = (): Actor => ({ kind: "user", userId: acme.users[OWNER].userId, email: OWNER, sessionId: null, request: testRequest });
const viewer = (): SecretViewer => ({ kind: "member", userId: acme.users[OWNER].userId, role: "owner" });
const globexViewer = (): SecretViewer => ({ kind: "member", userId: globex.users["gina@globex.test"].userId, role: "owner" });

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: OWNER, role: "owner" }]);
  globex = await seedOrg(t.db, "Globex", [{ email: "gina@globex.test", role: "owner" }]);
  aws = await startFakeAwsSecretsManager({ ...AWS_CREDS, region: REGION });
  vault = await startFakeVault({ token: VAULT_TOKEN });
  approleVault = await startFakeVault({ mount: "kv", approle: { roleId: "role-1", secretId: "secret-1" } });
});
afterAll(async () => {
  await Promise.all([aws?.close(), vault?.close(), approleVault?.close()]);
  await t?.cleanup();
});

/** Every column of every secret row and every audit row, as text: a planted value must appear in none. */
async function databaseText(): Promise<string> {
  const rows = [...(await t.sql(`SELECT * FROM "Secret"`)), ...(await t.sql(`SELECT * FROM "AuditEvent"`)), ...(await t.sql(`SELECT * FROM "WebhookEvent"`).catch(() => []))];
  return JSON.stringify(rows);
}

interface Case {
  label: string;
  backend: () => SecretsBackend;
  /** The value the fake holds now for the external name, or undefined when it has none (deleted). */
  held: (name: string) => string | undefined;
  behindTheBack: (name: string, value: string) => void;
  badCredentials: () => SecretsBackend;
  deniedMessage: RegExp;
  unreachable: () => SecretsBackend;
}

const cases: Case[] = [
  {
    label: "aws_secrets_manager",
    backend: () => awsSecretsManagerBackend({ region: REGION, prefix: "gatehouse/", endpoint: aws.url, credentials: AWS_CREDS }),
    held: (name) => {
      const entry = aws.secrets.get(name);
      return entry && !entry.deletedAt ? entry.versions.find((v) => v.stages.includes("AWSCURRENT"))?.value : undefined;
    },
    behindTheBack: (name, value) => aws.putBehindTheBack(name, value),
    badCredentials: () => awsSecretsManagerBackend({ region: REGION, prefix: "gatehouse/", endpoint: aws.url, credentials: { ...AWS_CREDS, secretAccessKey: "wrong-secret-access-key" } }),
    deniedMessage: /AWS Secrets Manager refused \w+ \(InvalidSignatureException\)/,
    unreachable: () => awsSecretsManagerBackend({ region: REGION, prefix: "gatehouse/", endpoint: "http://127.0.0.1:1", credentials: AWS_CREDS }),
  },
  {
    label: "vault",
    backend: () => vaultBackend({ address: vault.url, auth: { method: "token", token: VAULT_TOKEN }, mount: "secret", prefix: "gatehouse/" }),
    held: (name) => {
      const versions = vault.kv.get(name);
      return versions ? (versions[versions.length - 1].data.value as string) : undefined;
    },
    behindTheBack: (name, value) => vault.writeBehindTheBack(name, value),
    badCredentials: () => vaultBackend({ address: vault.url, auth: { method: "token", token: "hvs.not-a-token" }, mount: "secret", prefix: "gatehouse/" }),
    deniedMessage: /Vault refused a write \(permission denied\)/,
    unreachable: () => vaultBackend({ address: "http://127.0.0.1:1", auth: { method: "token", token: VAULT_TOKEN }, mount: "secret", prefix: "gatehouse/" }),
  },
];

describe.each(cases)("the $label backend", (c) => {
  const planted = { first: `planted-${c.label}-first-7c1f`, second: `planted-${c.label}-second-2b9e`, third: `planted-${c.label}-third-4d0a` };
  let id = "";
  let externalName = "";

  it("creates: the value goes to the backend, the row keeps only a reference", async () => {
    const backend = c.backend();
    const created = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: `API_${c.label.toUpperCase()}`, category: "provider", scope: "organization", value: planted.first }, backend });
    id = created.id;
    const [row] = await t.sql(`SELECT "ciphertext", "wrappedKey", "masterKeyId" FROM "Secret" WHERE "id" = ?`, id);
    expect(row.masterKeyId).toBe(`external:${c.label}`);
    expect(row.wrappedKey).toBe("");
    externalName = (JSON.parse(String(row.ciphertext).slice("ref:v1:".length)) as { name: string }).name;
    expect(externalName).toBe(`gatehouse/${acme.orgId}/${id}`);
    expect(c.held(externalName)).toBe(planted.first);
    expect(await databaseText()).not.toContain(planted.first);
  });

  it("reveals through the backend (audited) and lists without values", async () => {
    const backend = c.backend();
    expect((await revealSecret(t.db, { orgId: acme.orgId, id, actor: actor(), viewer: viewer(), backend })).value).toBe(planted.first);
    const audit = await t.sql(`SELECT "metadata" FROM "AuditEvent" WHERE "action" = 'secret.revealed' AND "resourceId" = ?`, id);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(await listSecrets(t.db, { orgId: acme.orgId, viewer: viewer() }))).not.toContain(planted.first);
  });

  it("rotates: an update writes a new version, the row follows it, and the reveal returns the new value", async () => {
    const backend = c.backend();
    const before = (await t.sql(`SELECT "ciphertext" FROM "Secret" WHERE "id" = ?`, id))[0].ciphertext;
    const out = await updateSecret(t.db, { orgId: acme.orgId, id, actor: actor(), input: { value: planted.second }, backend });
    expect(out.valueVersion).toBe(2);
    const after = (await t.sql(`SELECT "ciphertext" FROM "Secret" WHERE "id" = ?`, id))[0].ciphertext;
    expect(after).not.toBe(before);
    expect(c.held(externalName)).toBe(planted.second);
    expect((await revealSecret(t.db, { orgId: acme.orgId, id, actor: actor(), viewer: viewer(), backend })).value).toBe(planted.second);
    expect(await databaseText()).not.toContain(planted.second);
  });

  it("reads the version the row refers to, and refuses to overwrite a value changed behind its back (check-and-set)", async () => {
    const backend = c.backend();
    c.behindTheBack(externalName, "changed-elsewhere");
    // The row still names the version Gatehouse wrote.
    expect((await revealSecret(t.db, { orgId: acme.orgId, id, actor: actor(), viewer: viewer(), backend })).value).toBe(planted.second);
    const err = await updateSecret(t.db, { orgId: acme.orgId, id, actor: actor(), input: { value: planted.third }, backend }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as SecretsBackendError).reason).toBe("conflict");
    expect((err as Error).message).toMatch(/changed in (Vault|AWS Secrets Manager)/);
    expect((err as Error).message).not.toContain(planted.third);
    expect(c.held(externalName)).toBe("changed-elsewhere");
    expect((await t.sql(`SELECT "valueVersion" FROM "Secret" WHERE "id" = ?`, id))[0].valueVersion).toBe(2);
  });

  it("two parallel rotations of one secret: exactly one wins, and the row and the backend agree on its value", async () => {
    const backend = c.backend();
    const created = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: `RACE_${c.label.toUpperCase()}`, category: "provider", scope: "organization", value: "race-start" }, backend });
    // Make the race real whatever the machine's timing: neither write reaches the backend
    // until both rotations have read the row (otherwise one may simply finish first, and two
    // updates one after the other both rightly succeed).
    let arrived = 0;
    let releaseBoth!: () => void;
    const bothArrived = new Promise<void>((resolve) => (releaseBoth = resolve));
    const racing: SecretsBackend = {
      kind: backend.kind,
      get: (...args) => backend.get(...args),
      remove: (...args) => backend.remove(...args),
      health: (...args) => backend.health(...args),
      put: async (...args) => {
        if (++arrived === 2) releaseBoth();
        await bothArrived;
        return backend.put(...args);
      },
    };
    const results = await Promise.allSettled(["race-a", "race-b"].map((value) => updateSecret(t.db, { orgId: acme.orgId, id: created.id, actor: actor(), input: { value }, backend: racing })));
    expect(arrived).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const revealed = (await revealSecret(t.db, { orgId: acme.orgId, id: created.id, actor: actor(), viewer: viewer(), backend })).value;
    const winner = results.findIndex((r) => r.status === "fulfilled") === 0 ? "race-a" : "race-b";
    expect(revealed).toBe(winner);
    expect((await t.sql(`SELECT "valueVersion" FROM "Secret" WHERE "id" = ?`, created.id))[0].valueVersion).toBe(2);
  });

  it("another organization's id is not_found, and the backend is never asked", async () => {
    const backend = c.backend();
    const calls = c.label === "vault" ? vault.requests.length : aws.calls.length;
    await expect(revealSecret(t.db, { orgId: globex.orgId, id, actor: actor(), viewer: globexViewer(), backend })).rejects.toMatchObject({ code: "not_found" });
    await expect(updateSecret(t.db, { orgId: globex.orgId, id, actor: actor(), input: { value: "hijack" }, backend })).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteSecret(t.db, { orgId: globex.orgId, id, actor: actor(), backend })).rejects.toMatchObject({ code: "not_found" });
    expect(c.label === "vault" ? vault.requests.length : aws.calls.length).toBe(calls);
    expect(c.held(externalName)).toBe("changed-elsewhere");
  });

  it("bad credentials are a clear error without the value, and no row is left behind", async () => {
    const value = `planted-${c.label}-denied-8e3a`;
    const err = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: `DENIED_${c.label.toUpperCase()}`, category: "provider", scope: "organization", value }, backend: c.badCredentials() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretsBackendError);
    expect((err as Error).message).toMatch(c.deniedMessage);
    expect((err as Error).message).not.toContain(value);
    expect(JSON.stringify(err)).not.toContain(value);
    expect(await t.sql(`SELECT "id" FROM "Secret" WHERE "name" = ?`, `DENIED_${c.label.toUpperCase()}`)).toHaveLength(0);
    if (c.label === "aws_secrets_manager") expect(aws.refused.map((r) => r.type)).toContain("InvalidSignatureException");
    const reveal = await revealSecret(t.db, { orgId: acme.orgId, id, actor: actor(), viewer: viewer(), backend: c.badCredentials() }).catch((e: unknown) => e);
    expect((reveal as Error).message).not.toContain(planted.second);
    expect((reveal as SecretsBackendError).reason).toBe("denied");
  });

  it("a name taken at the scope is a conflict before the backend is written", async () => {
    const backend = c.backend();
    const before = c.label === "vault" ? vault.kv.size : aws.secrets.size;
    await expect(createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: `API_${c.label.toUpperCase()}`, category: "provider", scope: "organization", value: "x" }, backend })).rejects.toMatchObject({ code: "conflict" });
    expect(c.label === "vault" ? vault.kv.size : aws.secrets.size).toBe(before);
  });

  it("health: both checks pass with a canary Gatehouse owns, and fail clearly when the backend is unreachable", async () => {
    const health = await c.backend().health(t.db);
    expect(health.list_secrets.ok).toBe(true);
    expect(health.get_secret.ok).toBe(true);
    expect(c.held("gatehouse/_health/canary")).toBe(CANARY_VALUE);
    expect(JSON.stringify(health)).not.toContain(CANARY_VALUE);
    const down = await c.unreachable().health(t.db);
    expect(down.list_secrets.ok).toBe(false);
    expect(down.get_secret.ok).toBe(false);
    expect(down.get_secret.error).toMatch(/unreachable/);
    const denied = await c.badCredentials().health(t.db);
    expect(denied.get_secret.ok).toBe(false);
  });

  it("vault rewrap leaves external rows alone", async () => {
    const other = Buffer.alloc(32, 7);
    const result = await rewrapVault(t.db, { current: other, previous: [Buffer.from(process.env.GATEHOUSE_MASTER_KEY!, "base64")], actor: { kind: "system", label: "test" } as Actor });
    expect(result.failed).toEqual([]);
    expect((await t.sql(`SELECT "masterKeyId" FROM "Secret" WHERE "id" = ?`, id))[0].masterKeyId).toBe(`external:${c.label}`);
  });

  it("deletes: the row goes, then the value in the backend", async () => {
    const backend = c.backend();
    await deleteSecret(t.db, { orgId: acme.orgId, id, actor: actor(), backend });
    expect(await t.sql(`SELECT "id" FROM "Secret" WHERE "id" = ?`, id)).toHaveLength(0);
    expect(c.held(externalName)).toBeUndefined();
  });
});

describe("Vault AppRole", () => {
  it("logs in with the role and secret ids, and again when the token is revoked", async () => {
    const backend = vaultBackend({ address: approleVault.url, auth: { method: "approle", roleId: "role-1", secretId: "secret-1" }, mount: "kv", prefix: "gh/" });
    const created = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: "APPROLE_ONE", category: "provider", scope: "organization", value: "approle-value-1" }, backend });
    expect(approleVault.logins).toBe(1);
    approleVault.tokens.clear();
    expect((await revealSecret(t.db, { orgId: acme.orgId, id: created.id, actor: actor(), viewer: viewer(), backend })).value).toBe("approle-value-1");
    expect(approleVault.logins).toBe(2);
    expect(approleVault.kv.get(`gh/${acme.orgId}/${created.id}`)?.[0].data.value).toBe("approle-value-1");
  });

  it("a wrong secret id is a clear refusal", async () => {
    const backend = vaultBackend({ address: approleVault.url, auth: { method: "approle", roleId: "role-1", secretId: "wrong" }, mount: "kv", prefix: "gh/" });
    await expect(createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: "APPROLE_TWO", category: "provider", scope: "organization", value: "v" }, backend })).rejects.toThrow(/Vault refused the AppRole login \(HTTP 400\)/);
  });
});

describe("switching backends", () => {
  it("a value sealed by the db backend stays readable under an external backend, and moves there when it is next written", async () => {
    const created = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: "MOVES_TO_VAULT", category: "provider", scope: "organization", value: "sealed-in-db" }, backend: dbBackend() });
    const backend = vaultBackend({ address: vault.url, auth: { method: "token", token: VAULT_TOKEN }, mount: "secret", prefix: "gatehouse/" });
    expect((await revealSecret(t.db, { orgId: acme.orgId, id: created.id, actor: actor(), viewer: viewer(), backend })).value).toBe("sealed-in-db");
    await updateSecret(t.db, { orgId: acme.orgId, id: created.id, actor: actor(), input: { value: "now-in-vault" }, backend });
    expect(vault.kv.get(`gatehouse/${acme.orgId}/${created.id}`)?.[0].data.value).toBe("now-in-vault");
    expect((await t.sql(`SELECT "masterKeyId" FROM "Secret" WHERE "id" = ?`, created.id))[0].masterKeyId).toBe("external:vault");
    // …and the db backend does not pretend to read it.
    await expect(revealSecret(t.db, { orgId: acme.orgId, id: created.id, actor: actor(), viewer: viewer(), backend: dbBackend() })).rejects.toThrow(/stored in vault, but SECRETS_BACKEND is db/);
  });
});

describe("backend failures at the edges", () => {
  it("the API answers a refused or unreachable backend with 503 unavailable and a conflict with 409, naming why and never a value", async () => {
    const { toApiError, API_ERROR_STATUS } = await import("@/lib/server/api/api-error");
    const value = "planted-edge-value-6f2a";
    const denied = await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: "EDGE_DENIED", category: "provider", scope: "organization", value }, backend: cases[1].badCredentials() }).catch((e: unknown) => e);
    const api = toApiError(denied, "req_test");
    expect(API_ERROR_STATUS[api.code]).toBe(503);
    expect(api.message).toMatch(/Vault refused a write \(permission denied\)/);
    expect(api.message).not.toContain(value);
    expect(API_ERROR_STATUS[toApiError(new SecretsBackendError("changed", "conflict"), "req_test").code]).toBe(409);
  });
});
