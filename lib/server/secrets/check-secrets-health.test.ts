import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { startFakeVault, type FakeVault } from "@/test/support/fake-vault";
import { vaultBackend } from "./backends/vault";
import { dbBackend } from "./backends/db";
import { CANARY_VALUE } from "./backends/types";
import { checkSecretsHealth, HEALTH_TTL_MS, secretsHealthJson } from "./check-secrets-health";

let t: TestDb;
let vault: FakeVault;
beforeAll(async () => {
  t = await createTestDb();
  vault = await startFakeVault({ token: "hvs.health" });
});
afterAll(async () => {
  await vault?.close();
  await t?.cleanup();
});

const backendAt = (address: string, token = "hvs.health") => vaultBackend({ address, auth: { method: "token", token }, mount: "secret", prefix: "gatehouse/" });

describe("secrets backend health", () => {
  it("db backend: ok, with both checks", async () => {
    const h = secretsHealthJson(await checkSecretsHealth(t.db, { backend: dbBackend() }));
    expect(h).toMatchObject({ status: "ok", backend: "db", checks: { list_secrets: { status: "ok" }, get_secret: { status: "ok" } } });
  });

  it("a burst of checks asks the backend once, and again only after the cache expires", async () => {
    const backend = backendAt(vault.url);
    const start = Date.now();
    const first = await Promise.all(Array.from({ length: 50 }, () => checkSecretsHealth(t.db, { backend, now: start })));
    expect(first.every((h) => h.status === "ok")).toBe(true);
    const afterBurst = vault.requests.length;
    // One list, one canary read that misses, its creation, the read again.
    expect(afterBurst).toBe(4);
    await checkSecretsHealth(t.db, { backend, now: start + HEALTH_TTL_MS - 1 });
    expect(vault.requests.length).toBe(afterBurst);
    await checkSecretsHealth(t.db, { backend, now: start + HEALTH_TTL_MS + 1 });
    // The canary exists now: one list, one read.
    expect(vault.requests.length).toBe(afterBurst + 2);
    expect(vault.kv.get("gatehouse/_health/canary")?.map((v) => v.data.value)).toEqual([CANARY_VALUE]);
  });

  it("never answers with the canary value or a user value", async () => {
    vault.writeBehindTheBack("gatehouse/acme/user-secret", "a-user-value-1234");
    const h = await checkSecretsHealth(t.db, { backend: backendAt(vault.url) });
    const text = JSON.stringify(secretsHealthJson(h)) + JSON.stringify(h);
    expect(text).not.toContain(CANARY_VALUE);
    expect(text).not.toContain("a-user-value-1234");
  });

  it("unreachable or refused is unhealthy, with the kind of failure and without the backend's address in the open answer", async () => {
    const down = secretsHealthJson(await checkSecretsHealth(t.db, { backend: backendAt("http://127.0.0.1:1") }));
    expect(down.status).toBe("unhealthy");
    expect(down.checks.list_secrets).toMatchObject({ status: "fail", reason: "unreachable" });
    expect(JSON.stringify(down)).not.toContain("127.0.0.1");
    const denied = secretsHealthJson(await checkSecretsHealth(t.db, { backend: backendAt(vault.url, "hvs.wrong") }));
    expect(denied).toMatchObject({ status: "unhealthy", checks: { get_secret: { status: "fail", reason: "denied" } } });
  });

  it("a canary holding something else is unhealthy (the check reads, it does not just connect)", async () => {
    const other = await startFakeVault({ token: "hvs.health" });
    try {
      other.writeBehindTheBack("gatehouse/_health/canary", "tampered");
      const h = await checkSecretsHealth(t.db, { backend: backendAt(other.url) });
      expect(h.status).toBe("unhealthy");
      expect(h.checks.get_secret.ok).toBe(false);
      expect(JSON.stringify(secretsHealthJson(h))).not.toContain("tampered");
    } finally {
      await other.close();
    }
  });
});
