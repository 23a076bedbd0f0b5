// Seeding for the S3 benchmark (scripts/bench/scenarios/s3-webhooks.mjs), through the real domain
// code: an organization, endpoints at the receivers the bench started (S3_RECEIVERS, comma-separated),
// and S3_EVENTS outbox events written with recordWebhookEvent, 200 to a transaction. Prints the
// endpoints' signing secrets as JSON on the last line. Runs under tsx with --conditions=react-server.
import { createDb } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { createWebhookEndpoint } from "@/lib/server/webhooks/create-webhook-endpoint";
import { recordWebhookEvent } from "@/lib/server/webhooks/record-webhook-event";

async function main() {
  const url = process.env.DATABASE_URL ?? "";
  const receivers = (process.env.S3_RECEIVERS ?? "").split(",").filter(Boolean);
  const events = Number(process.env.S3_EVENTS ?? "10000");
  const db = createDb(url, { poolSize: 4 });
  const orgId = newId();
  await db.organization.create({ data: { id: orgId, name: "S3 Bench", slug: `s3-${orgId.slice(0, 8).toLowerCase()}` } });
  const actor = { kind: "system" as const, label: "s3 bench" };
  const secrets: string[] = [];
  for (const receiver of receivers) secrets.push((await createWebhookEndpoint(db, { orgId, actor, input: { url: receiver, event_types: ["prop"] } })).secret);
  const data = { id: "", name: "", repository_url: "https://git.example.com/bench/app.git", default_branch: "main", description: "x".repeat(200) };
  for (let i = 0; i < events; i += 200) {
    await db.$transaction(async (tx) => {
      for (let j = i; j < Math.min(events, i + 200); j++) {
        await recordWebhookEvent(tx, { organizationId: orgId, type: "prop.updated", resource: { type: "prop", id: `prop-${j}` }, data: { ...data, id: `prop-${j}`, name: `app-${j}` } });
      }
    });
  }
  await db.$disconnect();
  console.log(JSON.stringify({ secrets }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
