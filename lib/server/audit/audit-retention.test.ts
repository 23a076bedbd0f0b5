import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { computeAuditHash, GENESIS_HASH } from "./audit-hash";
import { pruneAuditEvents, verifyAuditArchiveFile } from "./prune-audit-events";
import { verifyAuditChain } from "./verify-audit-chain";
import { claimAuditMaintenance, runAuditMaintenance, utcDay } from "./run-audit-maintenance";
import { getAuditRetention, setAuditRetention } from "./set-audit-retention";
import type { SystemActor } from "./actor";

let t: TestDb;
let archiveDir: string;
const DAY = 86_400_000;
const NOW = new Date("2026-11-27T03:00:00.000Z");
const actor: SystemActor = { kind: "system", label: "test" };
const heads = new Map<string, { seq: number; hash: string }>();
let counter = 0;

/** Append an event with a chosen time and a correct hash (the app stamps `new Date()`). */
async function seed(chain: string, daysAgo: number) {
  const head = heads.get(chain) ?? { seq: 0, hash: GENESIS_HASH };
  counter += 1;
  const fields = {
    id: `ret${String(counter).padStart(5, "0")}`, chain, seq: head.seq + 1, occurredAt: new Date(NOW.getTime() - daysAgo * DAY), organizationId: chain,
    actorType: "user", actorId: "u1", actorLabel: "a@acme.test", action: "user.sign_in", resourceType: null, resourceId: null, resourceLabel: null,
    outcome: "success", ip: null, userAgent: null, sessionId: null, apiKeyId: null, sudoGrantId: null, metadata: JSON.stringify({ n: counter }), prevHash: head.hash,
  };
  const hash = computeAuditHash(fields);
  await t.db.auditEvent.create({ data: { ...fields, hash } });
  heads.set(chain, { seq: fields.seq, hash });
  return { seq: fields.seq, hash };
}

async function org(name: string) {
  const o = await seedOrg(t.db, name, [{ email: `owner@${name.toLowerCase()}.test`, role: "owner" }]);
  return { id: o.orgId, name, ownerId: o.users[`owner@${name.toLowerCase()}.test`].userId };
}

const expectRefused = async (p: Promise<unknown>, message = /append-only|audit archive/) => {
  await expect(p).rejects.toThrow(message);
};

beforeAll(async () => {
  t = await createTestDb();
  archiveDir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-archive-"));
});
afterAll(async () => {
  await t?.cleanup();
  rmSync(archiveDir, { recursive: true, force: true });
});

describe("retention: archive, then delete through the one guarded path", () => {
  it("refuses deleting any event without an archive cut, on the database itself", async () => {
    const o = await org("Untouched");
    await seed(o.id, 400);
    await seed(o.id, 1);
    await expectRefused(t.sql(`DELETE FROM "AuditEvent" WHERE "chain" = ?`, o.id));
    // Through Prisma too (SQLite's adapter words a trigger's RAISE as a constraint error).
    await expect(t.db.auditEvent.deleteMany({ where: { chain: o.id } })).rejects.toThrow();
    expect(await t.db.auditEvent.count({ where: { chain: o.id } })).toBe(2);
  });

  it("archives old events to a verifiable file, deletes only them, and the chain still verifies from the archived head", async () => {
    const o = await org("Pruned");
    for (let i = 0; i < 7; i++) await seed(o.id, 100 - i); // seq 1-7: 100…94 days old
    const lastOld = await seed(o.id, 31); // seq 8
    for (let i = 0; i < 3; i++) await seed(o.id, 5 - i); // seq 9-11

    const result = await pruneAuditEvents(t.db, o, { retentionDays: 30, actor, now: NOW, archiveDir });
    expect(result).toMatchObject({ archived: 8, fromSeq: 1, cutSeq: 8, headHash: lastOld.hash });
    const left = await t.db.auditEvent.findMany({ where: { chain: o.id }, orderBy: { seq: "asc" }, select: { seq: true, action: true } });
    expect(left.map((e) => e.seq)).toEqual([9, 10, 11, 12]);
    expect(left.at(-1)!.action).toBe("audit.pruned");

    const file = await verifyAuditArchiveFile(result!.file);
    expect(file).toEqual({ ok: true, count: 8, fromSeq: 1, headSeq: 8, headHash: lastOld.hash, prevHash: GENESIS_HASH });
    expect(readdirSync(path.dirname(result!.file)).filter((n) => n.includes(".partial"))).toEqual([]);

    const chain = await verifyAuditChain(t.db, o.id);
    expect(chain).toMatchObject({ ok: true, checked: 4, start: { afterSeq: 8, hash: lastOld.hash } });

    // Nothing more is old enough: a second run does nothing.
    expect(await pruneAuditEvents(t.db, o, { retentionDays: 30, actor, now: NOW, archiveDir })).toBeNull();
    // Events above the cut stay undeletable, the archive row is append-only too.
    await expectRefused(t.sql(`DELETE FROM "AuditEvent" WHERE "chain" = ? AND "seq" = ?`, o.id, 9));
    await expectRefused(t.sql(`DELETE FROM "AuditArchive" WHERE "chain" = ?`, o.id));
    await expectRefused(t.sql(`UPDATE "AuditArchive" SET "cutSeq" = 11 WHERE "chain" = ?`, o.id));
    // A forged cut is refused: at a wrong hash, at the head, or behind the existing cut.
    const forge = (cutSeq: number, headHash: string) =>
      t.sql(`INSERT INTO "AuditArchive" ("id", "chain", "organizationId", "fromSeq", "cutSeq", "headHash", "cutOccurredAt", "eventCount", "file", "createdAt") VALUES (?, ?, ?, 1, ?, ?, ?, 1, 'x', ?)`, `forged-${cutSeq}-${headHash.slice(0, 4)}`, o.id, o.id, cutSeq, headHash, NOW, NOW);
    await expectRefused(forge(10, "f".repeat(64)));
    const head = await t.db.auditEvent.findFirstOrThrow({ where: { chain: o.id }, orderBy: { seq: "desc" } });
    await expectRefused(forge(head.seq, head.hash));
    await expectRefused(forge(5, lastOld.hash));
    expect(await t.db.auditEvent.count({ where: { chain: o.id } })).toBe(4);
  });

  it("keeps the chain's newest event even when everything is older than the retention, and goes on from it", async () => {
    const o = await org("Quiet");
    await seed(o.id, 200);
    await seed(o.id, 190);
    const result = await pruneAuditEvents(t.db, o, { retentionDays: 30, actor, now: NOW, archiveDir });
    expect(result).toMatchObject({ archived: 1, cutSeq: 1 });
    expect((await verifyAuditChain(t.db, o.id)).ok).toBe(true);
  });

  it("an archive file that was edited, cut short or reordered does not verify", async () => {
    const o = await org("Tampered");
    for (let i = 0; i < 4; i++) await seed(o.id, 60 - i);
    await seed(o.id, 1);
    const { file } = (await pruneAuditEvents(t.db, o, { retentionDays: 30, actor, now: NOW, archiveDir }))!;
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    const write = (name: string, content: string[]) => {
      const p = path.join(archiveDir, name);
      writeFileSync(p, `${content.join("\n")}\n`);
      return verifyAuditArchiveFile(p);
    };
    expect(await write("edited.jsonl", lines.map((l, i) => (i === 2 ? l.replace('"user.sign_in"', '"user.sign_out"') : l)))).toMatchObject({ ok: false, line: 3 });
    expect(await write("short.jsonl", lines.slice(0, -1))).toMatchObject({ ok: false, reason: expect.stringContaining("truncated") });
    expect(await write("swapped.jsonl", [lines[0], lines[2], lines[1], ...lines.slice(3)])).toMatchObject({ ok: false });
    expect(await write("dropped.jsonl", [lines[0], ...lines.slice(2)])).toMatchObject({ ok: false });
  });

});

describe("nightly maintenance", () => {
  it("two workers racing record one system chain check per organization per day", async () => {
    const a = await org("NightA");
    const b = await org("NightB");
    await seed(a.id, 2);
    await seed(b.id, 2);
    const day1 = () => new Date("2026-11-28T00:05:00.000Z");
    const [r1, r2, r3] = await Promise.all([
      runAuditMaintenance(t.db, { workerId: "w1", now: day1, archiveDir }),
      runAuditMaintenance(t.db, { workerId: "w2", now: day1, archiveDir }),
      runAuditMaintenance(t.db, { workerId: "w3", now: day1, archiveDir }),
    ]);
    for (const o of [a, b]) {
      expect([r1, r2, r3].filter((r) => r.checked.includes(o.id))).toHaveLength(1);
      const checks = await t.db.auditEvent.findMany({ where: { organizationId: o.id, action: "audit.chain_verified" } });
      expect(checks).toHaveLength(1);
      expect(checks[0]).toMatchObject({ actorType: "system", actorLabel: "nightly audit maintenance", outcome: "success" });
      expect(JSON.parse(checks[0].metadata)).toMatchObject({ checked: 1, head_seq: 1, head_hash: heads.get(o.id)!.hash });
    }
    // Later the same day: nothing more. The next day: one more.
    const again = await runAuditMaintenance(t.db, { workerId: "w1", now: () => new Date("2026-11-28T23:59:00.000Z"), archiveDir });
    expect(again.checked).not.toContain(a.id);
    const next = await runAuditMaintenance(t.db, { workerId: "w2", now: () => new Date("2026-11-29T00:01:00.000Z"), archiveDir });
    expect(next.checked).toContain(a.id);
    expect(await t.db.auditEvent.count({ where: { organizationId: a.id, action: "audit.chain_verified" } })).toBe(2);
  });

  it("a claim whose worker died is taken over by exactly one other worker after its lease", async () => {
    const o = await org("Lease");
    const key = { organizationId: o.id, task: "chain_check" as const, day: "2026-12-01" };
    const t0 = new Date("2026-12-01T00:00:00.000Z");
    expect(await claimAuditMaintenance(t.db, { ...key, workerId: "dead", now: t0 })).toBe(true);
    expect(await claimAuditMaintenance(t.db, { ...key, workerId: "w2", now: new Date(t0.getTime() + 60_000) })).toBe(false);
    const later = new Date(t0.getTime() + 3 * 3_600_000);
    const takers = await Promise.all(["w3", "w4", "w5"].map((w) => claimAuditMaintenance(t.db, { ...key, workerId: w, now: later })));
    expect(takers.filter(Boolean)).toHaveLength(1);
  });

  it("prunes organizations that set a retention, once a day, as the system", async () => {
    const o = await org("Retained");
    for (let i = 0; i < 5; i++) await seed(o.id, 400 - i);
    await seed(o.id, 1);
    const owner = { kind: "system" as const, label: "operator CLI: test" };
    await setAuditRetention(t.db, { orgId: o.id, days: 365, actor: owner });
    expect(await getAuditRetention(t.db, o.id)).toBe(365);
    const now = () => NOW;
    const [r1, r2] = await Promise.all([runAuditMaintenance(t.db, { workerId: "p1", now, archiveDir }), runAuditMaintenance(t.db, { workerId: "p2", now, archiveDir })]);
    expect([...r1.pruned, ...r2.pruned].filter((id) => id === o.id)).toHaveLength(1);
    expect(await t.db.auditArchive.count({ where: { chain: o.id } })).toBe(1);
    const pruned = await t.db.auditEvent.findFirstOrThrow({ where: { organizationId: o.id, action: "audit.pruned" } });
    expect(pruned.actorType).toBe("system");
    expect(JSON.parse(pruned.metadata)).toMatchObject({ archived: 5, cut_seq: 5, retention_days: 365 });
    // The same round verified the remaining chain from the archived head.
    const check = await t.db.auditEvent.findFirstOrThrow({ where: { organizationId: o.id, action: "audit.chain_verified" } });
    expect(check.outcome).toBe("success");
    expect(utcDay(NOW)).toBe("2026-11-27");
  });

  it("retention is 30 to 3650 days or forever, and every change is audited", async () => {
    const o = await org("Setting");
    const owner = { kind: "system" as const, label: "operator CLI: test" };
    for (const bad of [0, 29, 3651, 12.5]) await expect(setAuditRetention(t.db, { orgId: o.id, days: bad, actor: owner })).rejects.toThrow(/30 to 3650/);
    await setAuditRetention(t.db, { orgId: o.id, days: 90, actor: owner });
    await setAuditRetention(t.db, { orgId: o.id, days: null, actor: owner });
    expect(await getAuditRetention(t.db, o.id)).toBeNull();
    const changes = await t.db.auditEvent.findMany({ where: { organizationId: o.id, action: "audit.retention_changed" }, orderBy: { seq: "asc" } });
    expect(changes.map((c) => JSON.parse(c.metadata))).toEqual([{ retention_days_from: null, retention_days_to: 90 }, { retention_days_from: 90, retention_days_to: null }]);
  });
});

describe("retention on a tampered chain (last: it turns the triggers off on SQLite)", () => {
  it("refuses to archive a broken chain: nothing deleted, no file left", async () => {
    const o = await org("Broken");
    for (let i = 0; i < 3; i++) await seed(o.id, 90 - i);
    await seed(o.id, 1);
    await t.disableAuditTriggers();
    await t.sql(`UPDATE "AuditEvent" SET "actorLabel" = 'mallory@evil.test' WHERE "chain" = ? AND "seq" = 2`, o.id);
    await expect(pruneAuditEvents(t.db, o, { retentionDays: 30, actor, now: NOW, archiveDir })).rejects.toThrow(/broken at event #2/);
    expect(await t.db.auditEvent.count({ where: { chain: o.id } })).toBe(4);
    expect(readdirSync(path.join(archiveDir, o.id))).toEqual([]);
    expect(await t.db.auditArchive.count({ where: { chain: o.id } })).toBe(0);
  });
});
