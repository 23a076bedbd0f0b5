import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { auditFilterSchema, type AuditFilterInput } from "@/lib/validations/audit";
import { computeAuditHash, GENESIS_HASH } from "./audit-hash";
import { countAuditActivity, MAX_DAILY_BUCKETS, OPEN_WINDOW_DAYS } from "./count-audit-activity";
import { searchAuditEvents } from "./search-audit-events";

let t: TestDb;
const NOW = new Date("2026-11-20T12:30:00.000Z");
const heads = new Map<string, { seq: number; hash: string }>();
let counter = 0;

async function seed(s: { org?: string; at: string; outcome?: string; actorId?: string; action?: string }) {
  const chain = s.org ?? "org-a";
  const head = heads.get(chain) ?? { seq: 0, hash: GENESIS_HASH };
  counter += 1;
  const fields = {
    id: `ev${String(counter).padStart(4, "0")}`,
    chain,
    seq: head.seq + 1,
    occurredAt: new Date(s.at),
    organizationId: chain,
    actorType: "user",
    actorId: s.actorId ?? "u-owner",
    actorLabel: "owner@acme.test",
    action: s.action ?? "user.sign_in",
    resourceType: null,
    resourceId: null,
    resourceLabel: null,
    outcome: s.outcome ?? "success",
    ip: "203.0.113.7",
    userAgent: "test",
    sessionId: null,
    apiKeyId: null,
    sudoGrantId: null,
    metadata: "{}",
    prevHash: head.hash,
  };
  const hash = computeAuditHash(fields);
  await t.db.auditEvent.create({ data: { ...fields, hash } });
  heads.set(chain, { seq: fields.seq, hash });
}

const f = (input: AuditFilterInput = {}) => auditFilterSchema.parse(input);
const activity = (input: AuditFilterInput, org = "org-a") => countAuditActivity(t.db, org, f(input), { now: NOW });
const nonEmpty = (a: Awaited<ReturnType<typeof activity>>) => a!.buckets.filter((b) => b.success + b.denied + b.failure > 0);

beforeAll(async () => {
  t = await createTestDb();
  // Today 10:xx: 3 successes (one at the hour's first instant), 1 failure; 11:59:59.999 one denied.
  await seed({ at: "2026-11-20T10:00:00.000Z" });
  await seed({ at: "2026-11-20T10:15:00.000Z", actorId: "u-bob" });
  await seed({ at: "2026-11-20T10:59:59.999Z" });
  await seed({ at: "2026-11-20T10:30:00.000Z", outcome: "failure", action: "user.sign_in_failed" });
  await seed({ at: "2026-11-20T11:59:59.999Z", outcome: "denied", actorId: "u-bob", action: "member.role_changed" });
  // 12:00 exactly: the current hour.
  await seed({ at: "2026-11-20T12:00:00.000Z" });
  // Three days ago and forty days ago.
  await seed({ at: "2026-11-17T23:59:59.000Z", outcome: "failure" });
  await seed({ at: "2026-10-11T08:00:00.000Z" });
  // Another organization in the same hours: never counted for org-a.
  for (let i = 0; i < 5; i++) await seed({ org: "org-b", at: `2026-11-20T10:1${i}:00.000Z` });
});
afterAll(async () => t?.cleanup());

describe("countAuditActivity", () => {
  it("counts the last 24 hours per hour, by outcome, in UTC hours", async () => {
    const a = await activity({ range: "24h" });
    expect(a!.unit).toBe("hour");
    expect(a!.buckets).toHaveLength(25); // 12:00 yesterday … 12:00 today
    expect(a!.buckets[0].start).toBe("2026-11-19T12:00:00.000Z");
    expect(nonEmpty(a)).toEqual([
      { start: "2026-11-20T10:00:00.000Z", success: 3, denied: 0, failure: 1 },
      { start: "2026-11-20T11:00:00.000Z", success: 0, denied: 1, failure: 0 },
      { start: "2026-11-20T12:00:00.000Z", success: 1, denied: 0, failure: 0 },
    ]);
    expect(a!.total).toBe(6);
  });

  it("switches to days for longer windows and still counts every matching event", async () => {
    const a = await activity({ range: "90d" });
    expect(a!.unit).toBe("day");
    expect(nonEmpty(a)).toEqual([
      { start: "2026-10-11T00:00:00.000Z", success: 1, denied: 0, failure: 0 },
      { start: "2026-11-17T00:00:00.000Z", success: 0, denied: 0, failure: 1 },
      { start: "2026-11-20T00:00:00.000Z", success: 4, denied: 1, failure: 1 },
    ]);
    expect(a!.total).toBe(8);
  });

  it("uses the same filter as the list (actor, outcome, action, text)", async () => {
    for (const input of [{ actor: "u-bob" }, { outcome: "failure" as const }, { action: "member.role_changed" }, { q: "sign_in_failed" }, { outcome: "denied" as const, range: "1h" as const }]) {
      const listed = (await searchAuditEvents(t.db, "org-a", f(input), { limit: 200, now: NOW })).events.length;
      const a = await activity(input);
      expect(a?.total ?? 0, JSON.stringify(input)).toBe(listed);
    }
    const bob = await activity({ actor: "u-bob", range: "24h" });
    expect(nonEmpty(bob)).toEqual([
      { start: "2026-11-20T10:00:00.000Z", success: 1, denied: 0, failure: 0 },
      { start: "2026-11-20T11:00:00.000Z", success: 0, denied: 1, failure: 0 },
    ]);
  });

  it("starts an open window at the oldest matching event and honours a custom range", async () => {
    const all = await activity({});
    expect(all!.from.toISOString()).toBe("2026-10-11T00:00:00.000Z");
    expect(all!.total).toBe(8);
    const custom = await activity({ range: "custom", from: "2026-11-20T10:15:00Z", to: "2026-11-20T11:00:00Z" });
    expect(custom!.unit).toBe("hour");
    expect(custom!.total).toBe(3); // 10:15, 10:30, 10:59:59.999
  });

  it("never counts another organization's events, and has nothing for an organization without events", async () => {
    const b = await activity({ range: "24h" }, "org-b");
    expect(b!.total).toBe(5);
    expect(await activity({}, "org-none")).toBeNull();
    expect((await activity({ range: "1h" }, "org-none"))!.total).toBe(0);
  });

  it("caps the buckets of a very long window and says so", async () => {
    const a = await activity({ range: "custom", from: "2016-01-01T00:00:00Z", to: "2026-11-20T12:30:00Z" });
    expect(a!.buckets).toHaveLength(MAX_DAILY_BUCKETS);
    expect(a!.clipped).toBe(true);
    expect(a!.total).toBe(8);
    const hostile = await activity({ q: "%' OR 1=1 --" });
    expect(hostile).toBeNull();
  });

  it("charts a filter without a lower time bound over its last 90 days at most, and says so", async () => {
    await seed({ org: "org-old", at: "2025-01-01T00:00:00.000Z" });
    await seed({ org: "org-old", at: "2026-11-20T09:00:00.000Z" });
    const a = await activity({}, "org-old");
    expect(a!.clipped).toBe(true);
    expect(a!.buckets).toHaveLength(OPEN_WINDOW_DAYS);
    expect(a!.total).toBe(1);
    // An explicit range reaches the old event.
    const explicit = await activity({ range: "custom", from: "2024-12-31T00:00:00Z", to: "2025-06-01T00:00:00Z" }, "org-old");
    expect(explicit).toMatchObject({ total: 1, clipped: false });
  });
});
