import { expect, test } from "@playwright/test";
import { OWNER, queryOne } from "../fixtures/app";
import { userId } from "../fixtures/people";
import { insertApiKey } from "../fixtures/api";

/** A key for the owner with a tiny per-minute limit. */
async function keyWithLimit(limit: number): Promise<string> {
  const org = await queryOne<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "name" = ?`, OWNER.org);
  return (await insertApiKey({ orgId: org!.id, ownerId: await userId(OWNER.email), scopes: ["props:read"], name: "rate limited", rateLimitPerMinute: limit })).raw;
}

test("a key's per-minute limit counts every route together, answers 429 with Retry-After, and RateLimit headers on every answer", async ({ request }) => {
  // Not at the very end of a minute window, so the requests below share one.
  const secondsIntoMinute = new Date().getSeconds();
  if (secondsIntoMinute > 45) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoMinute) * 1000));
  const key = await keyWithLimit(3);
  const headers = { authorization: `Bearer ${key}` };
  // With several instances (PostgreSQL), each adds its counts to the shared total every 500 ms:
  // the limit holds across instances to within that interval, so the requests are spaced by more.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));
  // Three different routes (each its own bundle in the production build) share the key's budget.
  const first = await request.get("/api/v1/me", { headers });
  expect(first.status()).toBe(200);
  expect(first.headers()["ratelimit-limit"]).toBe("3");
  expect(first.headers()["ratelimit-remaining"]).toBe("2");
  expect(first.headers()["x-request-id"]).toMatch(/^req_/);
  await settle();
  expect((await request.get("/api/v1/props", { headers })).status()).toBe(200);
  await settle();
  expect((await request.get("/api/v1/marquees", { headers })).status()).toBe(403); // no scope, but counted
  await settle();
  const refused = await request.get("/api/v1/me", { headers });
  expect(refused.status()).toBe(429);
  expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
  expect(refused.headers()["ratelimit-remaining"]).toBe("0");
  const body = await refused.json();
  expect(body.error.code).toBe("rate_limited");
  expect(body.error.request_id).toBe(refused.headers()["x-request-id"]);
});
