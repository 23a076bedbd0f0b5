import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { recordAuditEvent, type AuditEventInput } from "./record-audit-event";
import { verifyAuditChain } from "./verify-audit-chain";
import { GENESIS_HASH } from "./audit-hash";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.cleanup());

const event = (org: string | null, action = "member.role_changed"): AuditEventInput => ({
  organizationId: org,
  actor: { type: "user", id: "u1", label: "owner@acme.test" },
  action,
  resource: { type: "membership", id: "m1", label: "someone@acme.test" },
  outcome: "success",
  context: { ip: "203.0.113.7", userAgent: "test" },
  metadata: { from: "member", to: "admin" },
});

describe("recordAuditEvent", () => {
  it("chains events per organization from the genesis hash", async () => {
    const a1 = await t.db.$transaction((tx) => recordAuditEvent(tx, event("org-a")));
    const b1 = await t.db.$transaction((tx) => recordAuditEvent(tx, event("org-b")));
    const a2 = await t.db.$transaction((tx) => recordAuditEvent(tx, event("org-a")));
    expect(a1.seq).toBe(1);
    expect(a1.prevHash).toBe(GENESIS_HASH);
    expect(b1.seq).toBe(1);
    expect(a2.seq).toBe(2);
    expect(a2.prevHash).toBe(a1.hash);
    expect(await verifyAuditChain(t.db, "org-a")).toMatchObject({ ok: true, checked: 2 });
  });

  it("is written with the change or not at all", async () => {
    await expect(
      t.db.$transaction(async (tx) => {
        await recordAuditEvent(tx, event("org-rollback"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await t.db.auditEvent.count({ where: { chain: "org-rollback" } })).toBe(0);
  });

  it("keeps one chain when many writers append at once", async () => {
    await Promise.all(Array.from({ length: 20 }, () => t.db.$transaction((tx) => recordAuditEvent(tx, event("org-busy")))));
    expect(await verifyAuditChain(t.db, "org-busy")).toMatchObject({ ok: true, checked: 20 });
  });

  it("refuses metadata keys that name secrets and malformed actions", async () => {
    await expect(t.db.$transaction((tx) => recordAuditEvent(tx, { ...event("org-a"), metadata: { password: "hunter2" } }))).rejects.toThrow(/looks like a secret/);
    await expect(t.db.$transaction((tx) => recordAuditEvent(tx, event("org-a", "DROP TABLE")))).rejects.toThrow(/resource.verb/);
  });
});

describe("append-only storage", () => {
  it("refuses UPDATE and DELETE on audit rows in the database itself", async () => {
    await expect(t.sql(`UPDATE "AuditEvent" SET "outcome" = 'failure'`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it("detects an altered event when someone drops the triggers", async () => {
    await t.db.$transaction((tx) => recordAuditEvent(tx, event("org-tamper")));
    await t.db.$transaction((tx) => recordAuditEvent(tx, event("org-tamper")));
    await t.db.$transaction((tx) => recordAuditEvent(tx, event("org-tamper")));
    await t.disableAuditTriggers();
    await t.sql(`UPDATE "AuditEvent" SET "actorLabel" = 'someone-else' WHERE "chain" = 'org-tamper' AND "seq" = 2`);
    expect(await verifyAuditChain(t.db, "org-tamper")).toMatchObject({ ok: false, brokenAtSeq: 2, reason: "hash_mismatch" });
    await t.sql(`DELETE FROM "AuditEvent" WHERE "chain" = 'org-busy' AND "seq" = 5`);
    expect(await verifyAuditChain(t.db, "org-busy")).toMatchObject({ ok: false, brokenAtSeq: 5, reason: "gap" });
  });
});
