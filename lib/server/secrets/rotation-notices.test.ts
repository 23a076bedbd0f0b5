import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { createDb, type Db } from "@/lib/server/db/client";
import type { Actor } from "@/lib/server/audit/actor";
import { createSecret } from "./create-secret";
import { updateSecret } from "./update-secret";
import { setRotationPolicy } from "./set-rotation-policy";
import { emitRotationNotices } from "./emit-rotation-notices";

const DAY = 86_400_000;
let t: TestDb;
let second: Db;
let acme: Awaited<ReturnType<typeof seedOrg>>;
const OWNER = "olive@acme.test";
const actor = (): Actor => ({ kind: "user", userId: acme.users[OWNER].userId, email: OWNER, sessionId: null, request: testRequest });
let rotating: string;
let start: Date;

beforeAll(async () => {
  t = await createTestDb();
  // A second client on the same database: another worker process. On SQLite two connections in one
  // process would block each other (better-sqlite3 waits synchronously for the file lock), so the
  // race there is between rounds sharing one client, as one worker process beside one server does.
  second = t.provider === "postgres" ? createDb(t.url) : t.db;
  acme = await seedOrg(t.db, "Acme", [{ email: OWNER, role: "owner" }]);
  rotating = (await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: "STRIPE_KEY", category: "provider", value: "sv-rot-1a2b3c", scope: "organization" } })).id;
  await createSecret(t.db, { orgId: acme.orgId, actor: actor(), input: { name: "NO_POLICY", category: "provider", value: "sv-rot-none", scope: "organization" } });
  await setRotationPolicy(t.db, { orgId: acme.orgId, id: rotating, actor: actor(), input: { intervalDays: 30, notifyBeforeDays: 7 } });
  start = (await t.db.secret.findUniqueOrThrow({ where: { id: rotating } })).valueChangedAt;
});
afterAll(async () => {
  if (second !== t.db) await second.$disconnect();
  await t.cleanup();
});

const counts = async () => ({
  audit: (await t.sql(`SELECT "metadata" FROM "AuditEvent" WHERE "action" = 'secret.rotation_due' ORDER BY "seq"`)).map((r) => JSON.parse(String(r.metadata)).state),
  webhook: (await t.sql(`SELECT "payload" FROM "WebhookEvent" WHERE "type" = 'secret.rotation_due' ORDER BY "createdAt"`)).map((r) => JSON.parse(String(r.payload)).data.rotation.state),
});

describe("rotation notices", () => {
  it("sends nothing before the notice window", async () => {
    expect(await emitRotationNotices(t.db, { now: new Date(start.getTime() + 22 * DAY) })).toBe(0);
    expect(await counts()).toEqual({ audit: [], webhook: [] });
  });

  it("sends the due-soon notice exactly once with two workers racing, and not again on later rounds", async () => {
    const now = new Date(start.getTime() + 24 * DAY);
    const rounds = await Promise.all([emitRotationNotices(t.db, { now }), emitRotationNotices(second, { now }), emitRotationNotices(t.db, { now }), emitRotationNotices(second, { now })]);
    expect(rounds.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await emitRotationNotices(second, { now: new Date(now.getTime() + DAY) })).toBe(0);
    expect(await counts()).toEqual({ audit: ["due_soon"], webhook: ["due_soon"] });
    const [event] = await t.sql(`SELECT "actorType", "resourceId", "metadata" FROM "AuditEvent" WHERE "action" = 'secret.rotation_due'`);
    expect(event).toMatchObject({ actorType: "system", resourceId: rotating });
    expect(JSON.stringify(await t.sql(`SELECT * FROM "WebhookEvent"`))).not.toContain("sv-rot-");
  });

  it("sends the overdue notice once when the due date passes, racing again", async () => {
    const now = new Date(start.getTime() + 31 * DAY);
    const rounds = await Promise.all([emitRotationNotices(t.db, { now }), emitRotationNotices(second, { now })]);
    expect(rounds.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await emitRotationNotices(t.db, { now: new Date(now.getTime() + 10 * DAY) })).toBe(0);
    expect(await counts()).toEqual({ audit: ["due_soon", "overdue"], webhook: ["due_soon", "overdue"] });
  });

  it("a new value starts a new window", async () => {
    await updateSecret(t.db, { orgId: acme.orgId, id: rotating, actor: actor(), input: { value: "sv-rot-2d4e6f" } });
    const changed = (await t.db.secret.findUniqueOrThrow({ where: { id: rotating } })).valueChangedAt;
    expect(await emitRotationNotices(t.db, { now: new Date(changed.getTime() + DAY) })).toBe(0);
    expect(await emitRotationNotices(t.db, { now: new Date(changed.getTime() + 25 * DAY) })).toBe(1);
    expect((await counts()).audit).toEqual(["due_soon", "overdue", "due_soon"]);
  });
});
