import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { recordAuditEvent } from "./record-audit-event";
import { verifyAuditChain } from "./verify-audit-chain";
import { verifyOrganizationChain } from "./verify-organization-chain";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.cleanup());

async function append(org: string, n: number) {
  for (let i = 0; i < n; i++) {
    await t.db.$transaction((tx) =>
      recordAuditEvent(tx, { organizationId: org, actor: { type: "user", id: "u1", label: "owner@acme.test" }, action: "member.role_changed", outcome: "success", metadata: { i } }),
    );
  }
}

const row = async (org: string, seq: number) => (await t.sql(`SELECT "id", "hash", "prevHash" FROM "AuditEvent" WHERE "chain" = ? AND "seq" = ?`, org, seq))[0];

describe("verifyAuditChain", () => {
  it("reports an intact chain with its head, and progress in batches", async () => {
    await append("org-ok", 3);
    const progress: number[] = [];
    const result = await verifyAuditChain(t.db, "org-ok", { onProgress: (p) => void progress.push(p.checked) });
    const last = await row("org-ok", 3);
    expect(result).toMatchObject({ ok: true, checked: 3, head: { seq: 3, hash: last.hash } });
    expect(progress).toEqual([3]);
    expect(await verifyAuditChain(t.db, "org-empty")).toEqual({ ok: true, checked: 0, head: null });
  });

  it("finds an altered row precisely (the triggers dropped, as an attacker would)", async () => {
    await append("org-alter", 4);
    await t.disableAuditTriggers();
    await t.sql(`UPDATE "AuditEvent" SET "outcome" = 'failure' WHERE "chain" = 'org-alter' AND "seq" = 3`);
    const altered = await row("org-alter", 3);
    const result = await verifyAuditChain(t.db, "org-alter");
    expect(result).toMatchObject({ ok: false, reason: "hash_mismatch", brokenAtSeq: 3, checked: 2, eventId: altered.id, found: altered.hash });
    if (!result.ok) expect(result.expected).not.toBe(altered.hash);
  });

  it("finds a rehashed row by its broken link to the next event", async () => {
    await append("org-rehash", 3);
    // Recomputing the altered row's own hash is not enough: the next event still points to the old one.
    const before = await row("org-rehash", 2);
    await t.sql(`UPDATE "AuditEvent" SET "hash" = ? WHERE "chain" = 'org-rehash' AND "seq" = 2`, "f".repeat(64));
    const result = await verifyAuditChain(t.db, "org-rehash");
    expect(result).toMatchObject({ ok: false, brokenAtSeq: 2, reason: "hash_mismatch" });
    expect(before.hash).not.toBe("f".repeat(64));
  });

  it("finds a removed event as a gap, naming the event found in its place", async () => {
    await append("org-gap", 5);
    const next = await row("org-gap", 4);
    await t.sql(`DELETE FROM "AuditEvent" WHERE "chain" = 'org-gap' AND "seq" = 3`);
    expect(await verifyAuditChain(t.db, "org-gap")).toMatchObject({ ok: false, reason: "gap", brokenAtSeq: 3, checked: 2, eventId: next.id, expected: "seq 3", found: "seq 4" });
  });

  it("finds a chain whose first event was removed", async () => {
    await append("org-first", 2);
    await t.sql(`DELETE FROM "AuditEvent" WHERE "chain" = 'org-first' AND "seq" = 1`);
    expect(await verifyAuditChain(t.db, "org-first")).toMatchObject({ ok: false, reason: "gap", brokenAtSeq: 1, checked: 0 });
  });

  it("walks past one batch (500) and reports the break beyond it", async () => {
    await append("org-long", 505);
    await t.sql(`UPDATE "AuditEvent" SET "metadata" = '{}' WHERE "chain" = 'org-long' AND "seq" = 503`);
    const progress: number[] = [];
    expect(await verifyAuditChain(t.db, "org-long", { onProgress: (p) => void progress.push(p.checked) })).toMatchObject({ ok: false, brokenAtSeq: 503, checked: 502 });
    expect(progress).toEqual([500]);
  }, 120_000);

  it("records the check with the head it found, as the actor who ran it", async () => {
    await append("org-record", 2);
    const result = await verifyOrganizationChain(t.db, { id: "org-record", name: "Record" }, { kind: "system", label: "test" });
    expect(result).toMatchObject({ ok: true, checked: 2 });
    const [event] = await t.sql(`SELECT "action", "actorType", "metadata", "seq" FROM "AuditEvent" WHERE "chain" = 'org-record' ORDER BY "seq" DESC LIMIT 1`);
    expect(event).toMatchObject({ action: "audit.chain_verified", actorType: "system", seq: 3 });
    expect(JSON.parse(String(event.metadata))).toEqual({ checked: 2, head_seq: 2, head_hash: result.head!.hash });
  });
});
