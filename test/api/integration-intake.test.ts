import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHmac } from "node:crypto";
import { NextRequest } from "next/server";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { createTestDb, testRequest, type TestDb } from "@/test/test-db";
import { seedOrg } from "@/test/factories";
import type { Db } from "@/lib/server/db/client";
import type { UserActor } from "@/lib/server/audit/actor";
import { createResource } from "@/lib/server/resources/create-resource";
import { configureIntegrationIntake, deleteIntegrationIntake, listIntegrationIntakes } from "@/lib/server/integrations/configure-integration-intake";
import { INTAKE_DENIED_AUDITS_PER_MINUTE, INTAKE_MAX_BODY_BYTES, receiveInboundWebhook } from "@/lib/server/integrations/receive-inbound-webhook";

// The intake route as Next.js runs it (real Requests, no API key), on this file's database.
let t: TestDb;
let db: Db;
let acme: Awaited<ReturnType<typeof seedOrg>>;
let globex: Awaited<ReturnType<typeof seedOrg>>;
let owner: UserActor;
let globexOwner: UserActor;
type Handler = (req: NextRequest, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
let POST: Handler;
const intakes: Record<string, { id: string; secret: string }> = {};

beforeAll(async () => {
  t = await createTestDb();
  process.env.DATABASE_URL = t.url;
  const client = await import("@/lib/server/db/client");
  db = client.getDb();
  ({ POST } = (await import("@/app/api/v1/integrations/[provider]/webhook/[intakeId]/route")) as unknown as { POST: Handler });
  acme = await seedOrg(db, "Acme", [{ email: "owner@acme.test", role: "owner" }]);
  globex = await seedOrg(db, "Globex", [{ email: "owner@globex.test", role: "owner" }]);
  owner = { userId: acme.users["owner@acme.test"].userId, email: "owner@acme.test", sessionId: null, request: testRequest };
  globexOwner = { userId: globex.users["owner@globex.test"].userId, email: "owner@globex.test", sessionId: null, request: testRequest };
  for (const provider of ["github", "gitea", "standard"]) {
    const { intake, secret } = await configureIntegrationIntake(db, { orgId: acme.orgId, actor: owner, provider });
    intakes[provider] = { id: intake.id, secret };
  }
});
afterAll(async () => {
  await t.cleanup();
});

const hex = (secret: string, body: string) => createHmac("sha256", secret).update(body).digest("hex");
let seq = 0;
const deliveryId = () => `d-${Date.now()}-${++seq}`;

function githubHeaders(secret: string, body: string, id = deliveryId(), event = "push"): Record<string, string> {
  return { "content-type": "application/json", "x-github-event": event, "x-github-delivery": id, "x-hub-signature-256": `sha256=${hex(secret, body)}` };
}
function giteaHeaders(secret: string, body: string, id = deliveryId(), event = "push"): Record<string, string> {
  return { "content-type": "application/json", "x-gitea-event": event, "x-gitea-delivery": id, "x-gitea-signature": hex(secret, body) };
}
function standardHeaders(secret: string, body: string, id = `msg_${deliveryId()}`, at = new Date()): Record<string, string> {
  // Signed with the official library, as a Standard Webhooks sender does.
  return { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, at, body) };
}

async function post(provider: string, intakeId: string, headers: Record<string, string>, body: string | Uint8Array) {
  const req = new NextRequest(`http://localhost:3000/api/v1/integrations/${provider}/webhook/${intakeId}`, { method: "POST", headers, body: typeof body === "string" ? body : new Blob([new Uint8Array(body)]) });
  const res = await POST(req, { params: Promise.resolve({ provider, intakeId }) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as { error?: { code: string }; accepted?: boolean; prop_id?: string | null }) : null };
}

const push = (fullName: string, extra: object = {}) =>
  JSON.stringify({ ref: "refs/heads/main", after: "0123456789abcdef0123456789abcdef01234567", repository: { full_name: fullName, html_url: `https://github.com/${fullName}`, clone_url: `https://github.com/${fullName}.git` }, ...extra });

const deniedAudits = (intakeId: string) => db.auditEvent.findMany({ where: { action: "integration.received", outcome: "denied", resourceId: intakeId }, orderBy: { seq: "asc" } });

describe("intake configuration", () => {
  it("one intake per provider and organization; rotating replaces the secret at once; another organization's id is not found", async () => {
    const before = await post("github", intakes.github.id, githubHeaders(intakes.github.secret, "{}"), "{}");
    expect(before.status).toBe(202);
    const { intake, secret, created } = await configureIntegrationIntake(db, { orgId: acme.orgId, actor: owner, provider: "github" });
    expect(created).toBe(false);
    expect(intake.id).toBe(intakes.github.id);
    expect(secret).not.toBe(intakes.github.secret);
    expect((await post("github", intake.id, githubHeaders(intakes.github.secret, "{}"), "{}")).status).toBe(401);
    expect((await post("github", intake.id, githubHeaders(secret, "{}"), "{}")).status).toBe(202);
    intakes.github.secret = secret;
    expect(await db.auditEvent.count({ where: { action: "integration.secret_rotated", resourceId: intake.id } })).toBe(1);
    await expect(deleteIntegrationIntake(db, { orgId: globex.orgId, actor: globexOwner, id: intake.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await listIntegrationIntakes(db, globex.orgId)).toEqual([]);
    expect((await listIntegrationIntakes(db, acme.orgId)).map((i) => i.provider)).toEqual(["gitea", "github", "standard"]);
    await expect(configureIntegrationIntake(db, { orgId: acme.orgId, actor: owner, provider: "bitbucket" })).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("accepted deliveries", () => {
  it("a signed GitHub push is accepted, audited, announced, and touches the Prop with that repository", async () => {
    const prop = await createResource(db, { orgId: acme.orgId, type: "prop", actor: owner, input: { name: "app", repository_url: "ssh://git@github.com/Acme/App.git" } });
    const other = await createResource(db, { orgId: globex.orgId, type: "prop", actor: globexOwner, input: { name: "acme/app" } });
    const body = push("acme/app");
    const res = await post("github", intakes.github.id, githubHeaders(intakes.github.secret, body), body);
    expect(res).toEqual({ status: 202, json: { accepted: true, event: "push", prop_id: prop.id } });
    const row = await db.platformResource.findUniqueOrThrow({ where: { id: prop.id } });
    expect(row.updatedAt.getTime()).toBeGreaterThan(new Date(prop.updated_at).getTime());
    // Another organization's Prop of the same name is never touched.
    expect((await db.platformResource.findUniqueOrThrow({ where: { id: other.id } })).updatedAt.toISOString()).toBe(other.updated_at);
    const [pushed] = await db.auditEvent.findMany({ where: { action: "prop.pushed", resourceId: prop.id } });
    expect(pushed).toMatchObject({ organizationId: acme.orgId, actorType: "system", outcome: "success" });
    expect(JSON.parse(pushed.metadata)).toMatchObject({ provider: "github", repository: "acme/app", ref: "refs/heads/main" });
    expect(await db.webhookEvent.count({ where: { type: "prop.pushed", resourceId: prop.id } })).toBe(1);
    expect(await db.webhookEvent.count({ where: { type: "integration.received", organizationId: acme.orgId } })).toBeGreaterThanOrEqual(1);
  });

  it("Gitea and Standard Webhooks deliveries are accepted with their own signatures", async () => {
    const body = push("acme/other");
    expect((await post("gitea", intakes.gitea.id, giteaHeaders(intakes.gitea.secret, body), body)).status).toBe(202);
    const event = JSON.stringify({ type: "build.finished", data: { ok: true } });
    expect((await post("standard", intakes.standard.id, standardHeaders(intakes.standard.secret, event), event)).json).toMatchObject({ accepted: true, event: "build.finished" });
  });
});

describe("refusals (4xx, audited as denied)", () => {
  it("refuses a tampered, unsigned, stale, malformed or replayed delivery, and a wrong path, each with its status", async () => {
    const { id, secret } = intakes.github;
    const body = push("acme/app");
    const tampered = githubHeaders(secret, body);
    expect((await post("github", id, tampered, body.replace("main", "evil"))).json?.error?.code).toBe("signature_invalid");
    const unsigned = githubHeaders(secret, body);
    delete unsigned["x-hub-signature-256"];
    expect((await post("github", id, unsigned, body)).status).toBe(401);
    // A Gitea-style signature on the GitHub intake (no sha256= prefix) is not accepted either.
    expect((await post("github", id, { ...githubHeaders(secret, body), "x-hub-signature-256": hex(secret, body) }, body)).status).toBe(401);
    const stale = standardHeaders(intakes.standard.secret, "{}", undefined, new Date(Date.now() - 6 * 60_000));
    expect((await post("standard", intakes.standard.id, stale, "{}")).json?.error?.code).toBe("signature_invalid");
    const notJson = "{not json";
    expect((await post("github", id, githubHeaders(secret, notJson), notJson)).json?.error?.code).toBe("validation_failed");
    const array = "[1,2]";
    expect((await post("github", id, githubHeaders(secret, array), array)).status).toBe(400);
    const once = githubHeaders(secret, "{}", "replay-me");
    expect((await post("github", id, once, "{}")).status).toBe(202);
    expect((await post("github", id, once, "{}")).json?.error?.code).toBe("conflict");
    // The intake of one provider under another provider's path, and made-up ids: 404, like any unknown id.
    expect((await post("gitea", id, giteaHeaders(secret, "{}"), "{}")).status).toBe(404);
    expect((await post("github", "itk_nope", githubHeaders(secret, "{}"), "{}")).status).toBe(404);
    expect((await post("gitlab", id, githubHeaders(secret, "{}"), "{}")).status).toBe(404);
    const reasons = (await deniedAudits(id)).map((e) => (JSON.parse(e.metadata) as { reason: string }).reason).slice(-6);
    expect(reasons).toEqual(["bad_signature", "missing_signature", "bad_signature", "malformed_json", "malformed_json", "replayed"]);
    expect((await deniedAudits(intakes.standard.id)).map((e) => JSON.parse(e.metadata).reason)).toEqual(["stale_timestamp"]);
  });

  it("refuses a body over 1 MB with 413, declared or streamed, without reading it whole", async () => {
    const big = "x".repeat(INTAKE_MAX_BODY_BYTES + 1);
    expect((await post("gitea", intakes.gitea.id, giteaHeaders(intakes.gitea.secret, big), big)).status).toBe(413);
    // No Content-Length: a stream that goes on past the cap.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 65_536;
        if (sent > 64 * 1_048_576) controller.close();
        else controller.enqueue(new Uint8Array(65_536));
      },
    });
    const req = new NextRequest(`http://localhost:3000/api/v1/integrations/gitea/webhook/${intakes.gitea.id}`, { method: "POST", headers: giteaHeaders(intakes.gitea.secret, "{}"), body: stream, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
    const res = await POST(req, { params: Promise.resolve({ provider: "gitea", intakeId: intakes.gitea.id }) });
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(4 * 1_048_576);
    expect((await deniedAudits(intakes.gitea.id)).map((e) => JSON.parse(e.metadata).reason)).toEqual(["too_large", "too_large"]);
  });

  it("a parallel burst of one delivery admits exactly one", async () => {
    const { id, secret } = intakes.gitea;
    const body = push("acme/burst");
    const headers = giteaHeaders(secret, body, "burst-1");
    const results = await Promise.all(Array.from({ length: 24 }, () => post("gitea", id, headers, body)));
    expect(results.filter((r) => r.status === 202)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(23);
    expect(await db.integrationReceipt.count({ where: { intakeId: id, deliveryId: "burst-1" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "integration.received", outcome: "success", resourceId: id, metadata: { contains: "burst-1" } } })).toBe(1);
  });

  it("audits at most a few refusals per minute per intake and counts the rest into the next audited one", async () => {
    const { intake } = await configureIntegrationIntake(db, { orgId: globex.orgId, actor: globexOwner, provider: "github" });
    const now = new Date();
    const bad = async (at: Date) => receiveInboundWebhook(db, { provider: "github", intakeId: intake.id, headers: () => null, body: Buffer.from("{}"), ip: "198.51.100.1", userAgent: null, now: at });
    await Promise.all(Array.from({ length: 30 }, () => bad(now)));
    expect(await deniedAudits(intake.id)).toHaveLength(INTAKE_DENIED_AUDITS_PER_MINUTE);
    const later = await bad(new Date(now.getTime() + 61_000));
    expect(later).toMatchObject({ ok: false, status: 401 });
    const audits = await deniedAudits(intake.id);
    expect(audits).toHaveLength(INTAKE_DENIED_AUDITS_PER_MINUTE + 1);
    expect(JSON.parse(audits.at(-1)!.metadata)).toMatchObject({ reason: "missing_signature", not_audited_before: 30 - INTAKE_DENIED_AUDITS_PER_MINUTE });
    expect(audits.at(-1)!.ip).toBe("198.51.100.1");
  });

  it("never accepts, and never answers 5xx to, random headers and bodies (fast-check)", async () => {
    const { id, secret } = intakes.github;
    const headerName = fc.constantFrom("x-hub-signature-256", "x-github-delivery", "x-github-event", "x-gitea-signature", "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length");
    const headerValue = fc.oneof(
      fc.string({ maxLength: 80 }).filter((v) => /^[\t\x20-\x7e]*$/.test(v)),
      fc.stringMatching(/^sha256=[0-9a-f]{64}$/),
      fc.constant(`sha256=${hex(secret, "{}")}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("github", "gitea", "standard"),
        fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
        fc.oneof(fc.string({ maxLength: 300 }), fc.json(), fc.uint8Array({ maxLength: 300 })),
        async (provider, headers, body) => {
          const intakeId = intakes[provider].id;
          // A signature made for another body ("{}") never verifies this one unless the body is "{}" with the matching id.
          const text = typeof body === "string" ? body : Buffer.from(body).toString("latin1");
          if (text === "{}") return;
          const { "content-length": _, ...rest } = headers;
          const res = await post(provider, intakeId, rest, body);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
