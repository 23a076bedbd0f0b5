import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createApiKey } from "./create-api-key";
import { hashApiKey } from "./generate-key";
import { KeyLoader } from "./key-loader";
import { loadKeys } from "./verify-api-key";
import type { CachedKey } from "./key-cache";

let t: TestDb;
let acme: Awaited<ReturnType<typeof seedOrg>>;
const randomHash = () => randomBytes(32).toString("hex");

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [{ email: "olive@acme.test", role: "owner" }]);
});
afterAll(() => t.cleanup());

async function issue(name: string) {
  const ownerId = acme.users["olive@acme.test"].userId;
  const { raw, key } = await createApiKey(t.db, {
    orgId: acme.orgId,
    actor: { kind: "user", userId: ownerId, email: "olive@acme.test", sessionId: null, request: testRequest },
    ownerId,
    name,
    scopes: ["props:read"],
  });
  return { hash: hashApiKey(raw), id: key.id };
}

/** The real lookup, counting the queries it is asked to make; the first answer can be held back after its query ran. */
function countingLoader(hold?: { reached: () => void; gate: Promise<void> }) {
  const batches: string[][] = [];
  const loader = new KeyLoader<CachedKey>(async (hashes) => {
    batches.push([...hashes]);
    const found = await loadKeys(t.db, hashes);
    if (hold && batches.length === 1) {
      hold.reached();
      await hold.gate;
    }
    return found;
  });
  return { loader, batches };
}

describe("KeyLoader: the lookups of cache misses, coalesced", () => {
  it("answers a burst of 200 made-up keys and two real ones with a handful of queries, each answer its own", async () => {
    const real = [await issue("burst one"), await issue("burst two")];
    const { loader, batches } = countingLoader();
    const hashes = [...Array.from({ length: 100 }, randomHash), real[0].hash, ...Array.from({ length: 100 }, randomHash), real[1].hash];
    const answers = await Promise.all(hashes.map((h) => loader.load(h)));
    expect(answers.filter((a) => a !== null).map((a) => a!.id)).toEqual([real[0].id, real[1].id]);
    expect(answers[100]?.organizationId).toBe(acme.orgId);
    // The first query starts at once with the first hash; everything asked meanwhile goes in the next.
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(batches.flat().sort()).toEqual([...hashes].sort());
  });

  it("never answers a lookup from a query that began before it was asked: a revocation committed meanwhile is seen", async () => {
    const key = await issue("revoked meanwhile");
    let reached!: () => void;
    let open!: () => void;
    const ran = new Promise<void>((resolve) => (reached = resolve));
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { loader, batches } = countingLoader({ reached, gate });

    const first = loader.load(key.hash);
    await ran; // the first query has read the key, still active, and its answer is held
    await t.db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    const later = loader.load(key.hash);
    open();
    expect((await first)?.revokedAt).toBeNull();
    expect((await later)?.revokedAt).toEqual(expect.any(Number));
    expect(batches).toEqual([[key.hash], [key.hash]]);
  });

  it("a failed query refuses its waiters with the error, and the next lookup queries again", async () => {
    let calls = 0;
    const loader = new KeyLoader<CachedKey>(async (hashes) => {
      calls += 1;
      if (calls === 1) throw new Error("database unavailable");
      return loadKeys(t.db, hashes);
    });
    const real = await issue("after an outage");
    await expect(Promise.all([loader.load(randomHash()), loader.load(real.hash)])).rejects.toThrow("database unavailable");
    expect((await loader.load(real.hash))?.id).toBe(real.id);
  });
});
