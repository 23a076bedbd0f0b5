import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Actor } from "@/lib/server/audit/actor";
import { parseSecretsBackendEnv } from "@/lib/config/secrets-backend-env";
import { createSecret } from "../create-secret";
import { updateSecret } from "../update-secret";
import { deleteSecret } from "../delete-secret";
import { revealSecret } from "../reveal-secret";
import { backendFor } from "./select-backend";

/**
 * Opt-in: the same round trip against a real HashiCorp Vault (VAULT_ADDR with
 * VAULT_TOKEN or AppRole) or a real/emulated Secrets Manager
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER plus AWS_REGION and credentials). Skipped
 * unless those are set; CI cannot run either (see README "Secrets backends").
 */

const live = [
  process.env.VAULT_ADDR ? { label: "vault", env: { ...process.env, SECRETS_BACKEND: "vault", VAULT_PREFIX: `gatehouse-live-${randomUUID().slice(0, 8)}/` } } : null,
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ? { label: "aws_secrets_manager", env: { ...process.env, SECRETS_BACKEND: "aws_secrets_manager", AWS_SECRETS_PREFIX: `gatehouse-live-${randomUUID().slice(0, 8)}/` } } : null,
].filter((c) => c !== null);
const cases: { label: string; env: Record<string, string | undefined> }[] = live.length > 0 ? live : [{ label: "none", env: {} }];

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
const OWNER = "live@acme.test";

describe.skipIf(live.length === 0)("live secrets backends", () => {
  beforeAll(async () => {
    t = await createTestDb();
    acme = await seedOrg(t.db, "Acme", [{ email: OWNER, role: "owner" }]);
  });
  afterAll(() => t?.cleanup());

  it.each(cases)("$label: creates, reveals, rotates, reports health and deletes", async ({ env }) => {
    const parsed = parseSecretsBackendEnv(env);
    expect(parsed.errors).toEqual([]);
    const backend = backendFor(parsed.config);
    const actor: Actor = { kind: "user", userId: acme.users[OWNER].userId, email: OWNER, sessionId: null, request: testRequest };
    const viewer = { kind: "member" as const, userId: acme.users[OWNER].userId, role: "owner" as const };
    const { id } = await createSecret(t.db, { orgId: acme.orgId, actor, input: { name: "LIVE_CHECK", category: "provider", scope: "organization", value: "live-one" }, backend });
    expect((await revealSecret(t.db, { orgId: acme.orgId, id, actor, viewer, backend })).value).toBe("live-one");
    await updateSecret(t.db, { orgId: acme.orgId, id, actor, input: { value: "live-two" }, backend });
    expect((await revealSecret(t.db, { orgId: acme.orgId, id, actor, viewer, backend })).value).toBe("live-two");
    const health = await backend.health(t.db);
    expect(health.list_secrets.ok && health.get_secret.ok).toBe(true);
    await deleteSecret(t.db, { orgId: acme.orgId, id, actor, backend });
  });
});
