import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { auditFilterSchema } from "@/lib/validations/audit";
import { recordAuditEvent } from "./record-audit-event";
import { exportAuditEvents, toByteStream } from "./export-audit-events";

let t: TestDb;
const system = { kind: "system" as const, label: "export test" };

async function append(org: string, actorLabel: string, outcome: "success" | "failure" = "success", metadata: Record<string, string | number> = {}) {
  return t.db.$transaction((tx) => recordAuditEvent(tx, { organizationId: org, actor: { type: "user", id: "u1", label: actorLabel }, action: "member.role_changed", outcome, metadata }));
}

async function collect(org: string, format: "csv" | "jsonl", filter = {}) {
  const stream = toByteStream(await exportAuditEvents(t.db, org, auditFilterSchema.parse(filter), format, system));
  return new Response(stream).text();
}

beforeAll(async () => {
  t = await createTestDb();
  await append("org-x", "=HYPERLINK(\"http://evil.test\",\"click\")", "success", { note: "+1-555, \"quoted\"" });
  await append("org-x", "@admin", "failure");
  await append("org-x", "plain@acme.test");
  await append("org-y", "other-org@acme.test");
});
afterAll(() => t.cleanup());

describe("exportAuditEvents", () => {
  it("writes CSV with a header row and neutralised formula cells, only the organization's rows", async () => {
    const csv = await collect("org-x", "csv");
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe("occurred_at,id,seq,actor_type,actor_id,actor_label,action,resource_type,resource_id,resource_label,outcome,ip,user_agent,session_id,api_key_id,sudo_grant_id,metadata,prev_hash,hash");
    // Three events, and the export's own record, written before the first row.
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(",audit.exported,");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.test"",""click"")"`);
    expect(csv).toContain(",'@admin,");
    expect(csv).not.toContain("other-org@acme.test");
    // Newest first: then the plain event.
    expect(lines[2]).toContain("plain@acme.test");
  });

  it("writes JSON Lines with a trailing summary, honouring the filters", async () => {
    const text = await collect("org-x", "jsonl", { outcome: "success", action: "member.role_changed" });
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    const events = lines.filter((l) => l.type === "event");
    expect(events.map((e) => e.actor_label)).toEqual(["plain@acme.test", '=HYPERLINK("http://evil.test","click")']);
    expect(events[1].metadata).toEqual({ note: '+1-555, "quoted"' });
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ type: "summary", events: 2, hashes_verified: 2, hash_mismatches: [], filters: "action=member.role_changed&outcome=success" });
    expect(summary.chain_head_at_start.seq).toBeGreaterThanOrEqual(3);
  });

  it("is itself audited, before the first row", async () => {
    const before = await t.db.auditEvent.count({ where: { organizationId: "org-x", action: "audit.exported" } });
    await collect("org-x", "csv", { q: "plain" });
    const events = await t.db.auditEvent.findMany({ where: { organizationId: "org-x", action: "audit.exported" }, orderBy: { seq: "desc" } });
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({ actorType: "system", outcome: "success" });
    expect(JSON.parse(events[0].metadata)).toMatchObject({ format: "csv", filters: "q=plain" });
  });

  it("flags a row whose stored hash no longer matches it in the summary", async () => {
    await t.disableAuditTriggers();
    const [target] = await t.sql(`SELECT "id" FROM "AuditEvent" WHERE "chain" = 'org-x' AND "seq" = 3`);
    await t.sql(`UPDATE "AuditEvent" SET "actorLabel" = 'rewritten@acme.test' WHERE "id" = ?`, target.id);
    const lines = (await collect("org-x", "jsonl", { action: "member.role_changed" })).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ events: 3, hashes_verified: 2, hash_mismatches: [target.id] });
  });

  it("streams many pages in order without repeating or skipping a row", async () => {
    const org = "org-big";
    for (let i = 0; i < 2100; i += 100) {
      await t.db.$transaction(async (tx) => {
        for (let j = i; j < i + 100; j++) await recordAuditEvent(tx, { organizationId: org, actor: { type: "system", label: `job ${j}` }, action: "prop.created", outcome: "success" });
      });
    }
    const lines = (await collect(org, "jsonl", { action: "prop.created" })).trim().split("\n").map((l) => JSON.parse(l));
    const events = lines.filter((l) => l.type === "event");
    expect(events.length).toBe(2100);
    expect(new Set(events.map((e) => e.id)).size).toBe(2100);
    // Newest first by (occurred_at, id), the viewer's order (events of one millisecond by id, not seq).
    const keys = events.map((e) => `${e.occurred_at}|${e.id}`);
    expect(keys).toEqual([...keys].sort().reverse());
    expect(lines.at(-1)).toMatchObject({ type: "summary", events: 2100, hashes_verified: 2100 });
  }, 180_000);
});
