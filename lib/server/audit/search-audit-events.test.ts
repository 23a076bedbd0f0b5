import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { auditFilterSchema, type AuditFilterInput } from "@/lib/validations/audit";
import { computeAuditHash, GENESIS_HASH } from "./audit-hash";
import { searchAuditEvents } from "./search-audit-events";
import { decodeAuditCursor, positionAt } from "./audit-cursor";

let t: TestDb;
const NOW = new Date("2026-11-20T12:00:00.000Z");
const heads = new Map<string, { seq: number; hash: string }>();
let counter = 0;

interface Seed {
  org?: string;
  minutesAgo: number;
  actorType?: string;
  actorId?: string | null;
  actorLabel?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  resourceLabel?: string;
  outcome?: string;
  metadata?: Record<string, unknown>;
  /** A fixed id, for ties on occurredAt. */
  id?: string;
}

/** Append one event with a chosen time (the app stamps `new Date()`; the viewer must not care). */
async function seed(s: Seed) {
  const chain = s.org ?? "org-a";
  const head = heads.get(chain) ?? { seq: 0, hash: GENESIS_HASH };
  counter += 1;
  const fields = {
    id: s.id ?? `ev${String(counter).padStart(4, "0")}`,
    chain,
    seq: head.seq + 1,
    occurredAt: new Date(NOW.getTime() - s.minutesAgo * 60_000),
    organizationId: chain,
    actorType: s.actorType ?? "user",
    actorId: s.actorId === undefined ? "u-owner" : s.actorId,
    actorLabel: s.actorLabel ?? "owner@acme.test",
    action: s.action ?? "user.sign_in",
    resourceType: s.resourceType ?? null,
    resourceId: s.resourceId ?? null,
    resourceLabel: s.resourceLabel ?? null,
    outcome: s.outcome ?? "success",
    ip: "203.0.113.7",
    userAgent: "test",
    sessionId: null,
    apiKeyId: null,
    sudoGrantId: null,
    metadata: JSON.stringify(s.metadata ?? {}),
    prevHash: head.hash,
  };
  const hash = computeAuditHash(fields);
  await t.db.auditEvent.create({ data: { ...fields, hash } });
  heads.set(chain, { seq: fields.seq, hash });
  return fields.id;
}

const f = (input: AuditFilterInput = {}) => auditFilterSchema.parse(input);
const ids = async (input: AuditFilterInput, orgId = "org-a") => (await searchAuditEvents(t.db, orgId, f(input), { limit: 200, now: NOW })).events.map((e) => e.id);

const ids_ = {} as Record<string, string>;

beforeAll(async () => {
  t = await createTestDb();
  ids_.signIn = await seed({ minutesAgo: 5 });
  ids_.failedSignIn = await seed({ minutesAgo: 10, outcome: "failure", actorType: "user", actorId: null, actorLabel: "Mallory@Evil.test" });
  ids_.role = await seed({ minutesAgo: 90, action: "member.role_changed", resourceType: "membership", resourceId: "m-bob", resourceLabel: "bob@acme.test", metadata: { from: "member", to: "admin" } });
  ids_.keyCreated = await seed({ minutesAgo: 60 * 30, action: "api_key.created", resourceType: "api_key", resourceId: "k1", resourceLabel: "CI deploy", metadata: { scopes: "props:read" } });
  ids_.keyCall = await seed({ minutesAgo: 60 * 24 * 10, actorType: "api_key", actorId: "k1", actorLabel: "CI deploy", action: "prop.created", resourceType: "prop", resourceId: "p1", resourceLabel: "web_100%_ok" });
  ids_.agent = await seed({ minutesAgo: 60 * 24 * 40, actorType: "agent", actorId: "ag1", actorLabel: "Builder", action: "prop.updated", resourceType: "prop", resourceId: "p1", resourceLabel: "web", outcome: "denied" });
  ids_.system = await seed({ minutesAgo: 60 * 24 * 100, actorType: "system", actorId: null, actorLabel: "gatehouse CLI (audit verify)", action: "audit.chain_verified", resourceType: "organization", resourceId: "org-a" });
  // Another organization with look-alike events: must never leak into org-a's results.
  ids_.other = await seed({ org: "org-b", minutesAgo: 1, actorId: "u-owner", metadata: { note: "owner@acme.test" } });
});
afterAll(() => t.cleanup());

describe("searchAuditEvents filters", () => {
  it("returns one organization's events newest first", async () => {
    expect(await ids({})).toEqual([ids_.signIn, ids_.failedSignIn, ids_.role, ids_.keyCreated, ids_.keyCall, ids_.agent, ids_.system]);
    expect(await ids({}, "org-b")).toEqual([ids_.other]);
  });

  it("filters by actor type, actor, action, resource and outcome, alone and combined", async () => {
    expect(await ids({ actor_type: "api_key" })).toEqual([ids_.keyCall]);
    expect(await ids({ actor_type: "agent" })).toEqual([ids_.agent]);
    expect(await ids({ actor_type: "system" })).toEqual([ids_.system]);
    expect(await ids({ actor: "u-owner" })).toEqual([ids_.signIn, ids_.role, ids_.keyCreated]);
    expect(await ids({ action: "member.role_changed" })).toEqual([ids_.role]);
    expect(await ids({ resource_type: "prop" })).toEqual([ids_.keyCall, ids_.agent]);
    expect(await ids({ resource_type: "prop", resource_id: "p1", outcome: "denied" })).toEqual([ids_.agent]);
    expect(await ids({ outcome: "failure" })).toEqual([ids_.failedSignIn]);
    expect(await ids({ actor: "u-owner", action: "user.sign_in", outcome: "success" })).toEqual([ids_.signIn]);
    expect(await ids({ actor: "u-owner", outcome: "denied" })).toEqual([]);
    // Another organization's actor id does not open its events.
    expect(await ids({ actor: "u-owner", q: "owner@acme.test" }, "org-b")).toEqual([ids_.other]);
  });

  it("bounds the time by presets (counted back from now) and by a custom window", async () => {
    expect(await ids({ range: "1h" })).toEqual([ids_.signIn, ids_.failedSignIn]);
    expect(await ids({ range: "24h" })).toEqual([ids_.signIn, ids_.failedSignIn, ids_.role]);
    expect(await ids({ range: "7d" })).toEqual([ids_.signIn, ids_.failedSignIn, ids_.role, ids_.keyCreated]);
    expect(await ids({ range: "30d" })).toHaveLength(5);
    expect(await ids({ range: "90d" })).toHaveLength(6);
    const from = new Date(NOW.getTime() - 60 * 24 * 50 * 60_000).toISOString();
    const to = new Date(NOW.getTime() - 60 * 24 * 60_000).toISOString();
    expect(await ids({ range: "custom", from, to })).toEqual([ids_.keyCreated, ids_.keyCall, ids_.agent]);
    // The bounds are inclusive.
    const exact = new Date(NOW.getTime() - 90 * 60_000).toISOString();
    expect(await ids({ from: exact, to: exact })).toEqual([ids_.role]);
  });

  it("searches free text over labels, ids, metadata and action names, ignoring case", async () => {
    expect(await ids({ q: "mallory@evil" })).toEqual([ids_.failedSignIn]);
    expect(await ids({ q: "MALLORY" })).toEqual([ids_.failedSignIn]);
    expect(await ids({ q: "bob@acme" })).toEqual([ids_.role]);
    expect(await ids({ q: "admin" })).toEqual([ids_.role]); // metadata value
    expect(await ids({ q: "role_changed" })).toEqual([ids_.role]); // action code
    expect(await ids({ q: "api key created" })).toEqual([ids_.keyCreated]); // readable label
    expect(await ids({ q: "p1" })).toEqual([ids_.keyCall, ids_.agent]); // resource id
    expect(await ids({ q: "Builder", outcome: "success" })).toEqual([]);
  });

  it("treats LIKE wildcards and quotes in the text as plain characters", async () => {
    expect(await ids({ q: "100%" })).toEqual([ids_.keyCall]);
    expect(await ids({ q: "%" })).toEqual([ids_.keyCall]);
    expect(await ids({ q: "_" })).toEqual(expect.arrayContaining([ids_.keyCall, ids_.role])); // "_" is in action codes
    expect(await ids({ q: "' OR 1=1 --" })).toEqual([]);
    expect(await ids({ q: "\\" })).toEqual([]);
  });

  it("refuses malformed filters", () => {
    expect(auditFilterSchema.safeParse({ outcome: "maybe" }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ action: "DROP TABLE" }).success).toBe(false);
    expect(auditFilterSchema.safeParse({ from: "yesterday" }).success).toBe(false);
    expect(auditFilterSchema.parse({ outcome: "", q: "  x " })).toEqual({ q: "x" });
  });
});

describe("keyset paging", () => {
  const org = "org-paging";

  it("walks every event exactly once, ties on the same instant broken by id", async () => {
    const seeded: string[] = [];
    for (let i = 0; i < 12; i++) seeded.push(await seed({ org, minutesAgo: 200 - Math.floor(i / 3), id: `tie-${String(i).padStart(2, "0")}` }));
    const seen: string[] = [];
    let after = null;
    let cursor: string | null = null;
    const filter = f({});
    do {
      const page: Awaited<ReturnType<typeof searchAuditEvents>> = await searchAuditEvents(t.db, org, filter, { after, limit: 5, now: NOW });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      after = cursor ? decodeAuditCursor(cursor, filter) : null;
    } while (cursor);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    // Newest first; within one instant, higher id first.
    const full = (await searchAuditEvents(t.db, org, filter, { limit: 100, now: NOW })).events;
    expect(seen).toEqual(full.map((e) => e.id));
    for (let i = 1; i < full.length; i++) {
      const [a, b] = [full[i - 1], full[i]];
      expect(a.occurredAt.getTime() > b.occurredAt.getTime() || (a.occurredAt.getTime() === b.occurredAt.getTime() && a.id > b.id)).toBe(true);
    }
    expect([...seen].sort()).toEqual([...seeded].sort());
  });

  it("keeps its place while new events arrive between pages", async () => {
    const filter = f({});
    const first = await searchAuditEvents(t.db, org, filter, { limit: 4, now: NOW });
    // New events land at the top (now), and one more at exactly the boundary instant with a higher id.
    for (let i = 0; i < 5; i++) await seed({ org, minutesAgo: 0 });
    const boundary = first.events.at(-1)!;
    await seed({ org, minutesAgo: (NOW.getTime() - boundary.occurredAt.getTime()) / 60_000, id: "tie-zz-late" });
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await searchAuditEvents(t.db, org, filter, { after: decodeAuditCursor(cursor, filter), limit: 4, now: NOW });
      rest.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    }
    const all = [...first.events.map((e) => e.id), ...rest];
    expect(new Set(all).size).toBe(all.length); // nothing repeated
    for (let i = 0; i < 12; i++) expect(all).toContain(`tie-${String(i).padStart(2, "0")}`); // nothing skipped
    expect(all).not.toContain("tie-zz-late"); // sorts before the cursor: belongs to a fresh first page
  });

  it("refuses a cursor replayed under other filters, or forged", async () => {
    const filter = f({ outcome: "success" });
    const page = await searchAuditEvents(t.db, org, filter, { limit: 2, now: NOW });
    expect(page.nextCursor).toBeTruthy();
    expect(() => decodeAuditCursor(page.nextCursor!, f({ outcome: "failure" }))).toThrow(/other filters/);
    expect(() => decodeAuditCursor("not-a-cursor", filter)).toThrow(/not one this server issued/);
    expect(() => decodeAuditCursor(Buffer.from("12|x' OR 1=1|abc").toString("base64url"), filter)).toThrow();
    expect(decodeAuditCursor(page.nextCursor!, filter).id).toBe(page.events.at(-1)!.id);
  });

  it("jumps to a date: the first page starts at the newest event at or before it", async () => {
    const at = new Date(NOW.getTime() - 60 * 24 * 10 * 60_000); // exactly the API key's call
    const page = await searchAuditEvents(t.db, "org-a", f({}), { after: positionAt(at), limit: 2, now: NOW });
    expect(page.events.map((e) => e.id)).toEqual([ids_.keyCall, ids_.agent]);
  });
});
