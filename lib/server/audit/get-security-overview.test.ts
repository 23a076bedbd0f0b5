import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import { recordAuditEvent } from "./record-audit-event";
import { getSecurityOverview, type SecurityOverview } from "./get-security-overview";

let t: TestDb;
let n = 0;
const uid = (p: string) => `${p}-${++n}`;
const NOW = new Date();
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
let acme: Awaited<ReturnType<typeof seedOrg>>;
let other: Awaited<ReturnType<typeof seedOrg>>;
let o: SecurityOverview;

async function session(userId: string, trustState: string, opts: { expired?: boolean; orgId?: string } = {}) {
  await t.db.session.create({
    data: {
      id: uid("s"), publicId: uid("p"), userId, activeOrgId: opts.orgId ?? null, deviceLabel: "test", trustState, trustReason: "test",
      expiresAt: opts.expired ? daysAgo(1) : daysAgo(-7), idleExpiresAt: opts.expired ? daysAgo(1) : daysAgo(-1),
    },
  });
}

async function key(orgId: string, ownerId: string, name: string, k: { scopes?: string[]; expiresAt?: Date | null; lastUsedAt?: Date | null; createdAt?: Date; revoked?: boolean }) {
  await t.db.apiKey.create({
    data: {
      id: uid("k"), organizationId: orgId, name, prefix: uid("gh_"), hash: uid("h"), ownerId, createdById: ownerId,
      scopes: JSON.stringify(k.scopes ?? ["props:read"]), expiresAt: k.expiresAt ?? null, lastUsedAt: k.lastUsedAt ?? null,
      createdAt: k.createdAt ?? NOW, revokedAt: k.revoked ? NOW : null,
    },
  });
}

async function webhook(orgId: string, url: string, w: { status?: string; failingSince?: Date | null }) {
  await t.db.webhookEndpoint.create({ data: { id: uid("w"), organizationId: orgId, url, secret: "sealed", status: w.status ?? "active", failingSince: w.failingSince ?? null } });
}

async function secret(orgId: string, name: string, s: { interval?: number | null; notify?: number | null; changedDaysAgo: number }) {
  await t.db.secret.create({
    data: {
      id: uid("sec"), organizationId: orgId, scope: "organization", scopeKey: "org", name, category: "generic", ciphertext: "c", wrappedKey: "w", masterKeyId: "m",
      valueChangedAt: daysAgo(s.changedDaysAgo), rotationIntervalDays: s.interval ?? null, notifyBeforeDays: s.notify ?? null,
    },
  });
}

async function event(orgId: string, action: string, outcome: "success" | "failure" | "denied", ip: string | null, actor: { type: "user" | "system"; label: string } = { type: "user", label: "x@acme.test" }, metadata = {}) {
  await t.db.$transaction((tx) => recordAuditEvent(tx, { organizationId: orgId, actor, action, outcome, context: { ip }, metadata }));
}

beforeAll(async () => {
  t = await createTestDb();
  acme = await seedOrg(t.db, "Acme", [
    { email: "owner@acme.test", role: "owner" },
    { email: "totp@acme.test", role: "admin" },
    { email: "key@acme.test", role: "member" },
    { email: "bare@acme.test", role: "auditor" },
  ]);
  other = await seedOrg(t.db, "Other", [{ email: "stranger@other.test", role: "owner" }]);
  const u = (e: string) => acme.users[e].userId;
  // Second factors: owner has both, totp@ an app, key@ two keys, bare@ nothing (a disabled-in-setup TOTP does not count).
  await t.db.totpCredential.create({ data: { id: uid("t"), userId: u("owner@acme.test"), secretCiphertext: "x", enabledAt: NOW } });
  await t.db.totpCredential.create({ data: { id: uid("t"), userId: u("totp@acme.test"), secretCiphertext: "x", enabledAt: NOW } });
  await t.db.totpCredential.create({ data: { id: uid("t"), userId: u("bare@acme.test"), secretCiphertext: "x", enabledAt: null } });
  for (const owner of ["owner@acme.test", "key@acme.test", "key@acme.test"]) {
    await t.db.securityKey.create({ data: { id: uid("sk"), userId: u(owner), name: "YubiKey", credentialId: uid("cred"), publicKey: "pk", counter: 0, transports: "[]", deviceType: "singleDevice", backedUp: false } });
  }
  // Sessions: owner 2 live (one untrusted) + 1 expired untrusted; bare@ 1 live untrusted.
  await session(u("owner@acme.test"), "trusted");
  await session(u("owner@acme.test"), "untrusted");
  await session(u("owner@acme.test"), "untrusted", { expired: true });
  await session(u("bare@acme.test"), "untrusted");
  await session(other.users["stranger@other.test"].userId, "untrusted");

  // Keys. A removed member: a user who has keys here but no membership any more.
  const gone = await t.db.user.create({ data: { id: uid("u"), email: "gone@acme.test", name: "gone", passwordHash: "x" } });
  await key(acme.orgId, u("owner@acme.test"), "wild", { scopes: ["*"], expiresAt: daysAgo(-30), lastUsedAt: NOW });
  await key(acme.orgId, u("owner@acme.test"), "forever", { scopes: ["props:read"], expiresAt: null, lastUsedAt: NOW });
  await key(acme.orgId, u("key@acme.test"), "stale", { expiresAt: daysAgo(-30), lastUsedAt: daysAgo(120), createdAt: daysAgo(200) });
  await key(acme.orgId, u("key@acme.test"), "never-used-old", { expiresAt: daysAgo(-30), createdAt: daysAgo(91) });
  await key(acme.orgId, u("key@acme.test"), "fine", { scopes: ["props:*"], expiresAt: daysAgo(-30), lastUsedAt: daysAgo(89), createdAt: daysAgo(100) });
  await key(acme.orgId, gone.id, "orphan", { expiresAt: daysAgo(-30), lastUsedAt: NOW });
  // Revoked or expired keys are no risk, whatever they carried.
  await key(acme.orgId, u("owner@acme.test"), "revoked-wild", { scopes: ["*"], revoked: true });
  await key(acme.orgId, gone.id, "expired-orphan", { scopes: ["*"], expiresAt: daysAgo(1) });
  await key(other.orgId, other.users["stranger@other.test"].userId, "other-wild", { scopes: ["*"] });

  await webhook(acme.orgId, "https://disabled.example/hook", { status: "disabled" });
  await webhook(acme.orgId, "https://failing.example/hook", { failingSince: daysAgo(1) });
  await webhook(acme.orgId, "https://healthy.example/hook", {});
  await webhook(other.orgId, "https://other.example/hook", { status: "disabled" });

  await secret(acme.orgId, "OVERDUE", { interval: 30, changedDaysAgo: 40 });
  await secret(acme.orgId, "DUE_SOON", { interval: 30, notify: 7, changedDaysAgo: 25 });
  await secret(acme.orgId, "FRESH", { interval: 30, notify: 7, changedDaysAgo: 1 });
  await secret(acme.orgId, "NO_POLICY", { changedDaysAgo: 900 });
  await secret(other.orgId, "OTHER_OVERDUE", { interval: 1, changedDaysAgo: 40 });

  // Last 24 h: 3 failed sign-ins from .9, 1 denied sign-in from .8, 1 denied role change from .9, a success from .1.
  for (let i = 0; i < 3; i++) await event(acme.orgId, "user.sign_in", "failure", "198.51.100.9");
  await event(acme.orgId, "user.sign_in", "denied", "198.51.100.8");
  await event(acme.orgId, "member.role_changed", "denied", "198.51.100.9");
  await event(acme.orgId, "user.sign_in", "success", "198.51.100.1");
  for (let i = 0; i < 7; i++) await event(other.orgId, "user.sign_in", "failure", "192.0.2.66");
  await event(acme.orgId, "audit.chain_verified", "success", null, { type: "user", label: "owner@acme.test" }, { head_seq: 1 });
  await event(acme.orgId, "audit.chain_verified", "failure", null, { type: "system", label: "nightly" }, { broken_at_seq: 3 });
  await event(other.orgId, "audit.chain_verified", "success", null);

  o = await getSecurityOverview(t.db, acme.orgId);
});
afterAll(async () => t?.cleanup());

describe("getSecurityOverview", () => {
  it("names the members without a second factor (an unfinished TOTP set-up is none)", () => {
    expect(o.withoutSecondFactor.map((m) => m.email)).toEqual(["bare@acme.test"]);
    expect(o.membersTotal).toBe(4);
    const byEmail = Object.fromEntries(o.members.map((m) => [m.email, m]));
    expect(byEmail["key@acme.test"]).toMatchObject({ totp: false, securityKeys: 2 });
    expect(byEmail["owner@acme.test"]).toMatchObject({ totp: true, securityKeys: 1 });
  });

  it("counts live sessions per member and untrusted ones, never expired sessions or other organizations' members", () => {
    const byEmail = Object.fromEntries(o.members.map((m) => [m.email, m]));
    expect(byEmail["owner@acme.test"]).toMatchObject({ sessions: 2, untrustedSessions: 1 });
    expect(byEmail["bare@acme.test"]).toMatchObject({ sessions: 1, untrustedSessions: 1 });
    expect(byEmail["totp@acme.test"]).toMatchObject({ sessions: 0, untrustedSessions: 0 });
    expect(o.untrustedSessions).toBe(2);
    expect(o.activeSessions).toBe(3);
  });

  it("flags live keys that are wildcard, never expire, are unused for 90 days or belong to removed members", () => {
    const names = (list: { name: string }[]) => list.map((k) => k.name).sort();
    expect(names(o.keys.wildcard)).toEqual(["wild"]);
    expect(names(o.keys.noExpiry)).toEqual(["forever"]);
    expect(names(o.keys.unused90d)).toEqual(["never-used-old", "stale"]);
    expect(names(o.keys.orphaned)).toEqual(["orphan"]);
    expect(o.keys.orphaned[0].ownerLabel).toBe("gone@acme.test");
    expect(o.keys.active).toBe(6);
  });

  it("lists disabled and failing webhooks, and secrets overdue or due for rotation, of this organization only", () => {
    expect(o.webhooks.map((w) => w.url).sort()).toEqual(["https://disabled.example/hook", "https://failing.example/hook"]);
    expect(o.secrets.map((s) => [s.name, s.rotation.state])).toEqual([["OVERDUE", "overdue"], ["DUE_SOON", "due_soon"]]);
  });

  it("counts failed sign-ins and denied actions of the last 24 hours with the top sources", () => {
    expect(o.last24h.failedSignIns).toBe(4);
    expect(o.last24h.denied).toBe(2);
    expect(o.last24h.topSources).toEqual([{ ip: "198.51.100.9", n: 4 }, { ip: "198.51.100.8", n: 1 }]);
  });

  it("shows the newest chain verification and its outcome", () => {
    expect(o.lastChainVerification).toMatchObject({ ok: false, actorType: "system", actorLabel: "nightly", metadata: { broken_at_seq: 3 } });
  });

  it("ignores events older than 24 hours", async () => {
    const tomorrow = await getSecurityOverview(t.db, acme.orgId, new Date(NOW.getTime() + 86_400_000 + 60_000));
    expect(tomorrow.last24h).toEqual({ failedSignIns: 0, denied: 0, topSources: [] });
  });
});
