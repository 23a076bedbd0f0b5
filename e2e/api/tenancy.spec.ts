import { expect, test } from "@playwright/test";
import { OWNER, queryOne } from "../fixtures/app";
import { userId } from "../fixtures/people";
import { insertApiKey, insertOrganization, insertResource } from "../fixtures/api";

// Every /api/v1 route answers another organization's ids exactly as ids that do not exist.
test("another organization's resources and keys answer 404 not_found, and its keys do not verify", async ({ request }) => {
  const acme = (await queryOne<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "name" = ?`, OWNER.org))!.id;
  const mine = await insertApiKey({ orgId: acme, ownerId: await userId(OWNER.email), scopes: ["*"], name: "tenancy" });
  const other = await insertOrganization("Globex Tenancy");
  const theirProp = await insertResource(other.orgId, "prop", "their-repo");
  const theirKey = await insertApiKey({ orgId: other.orgId, ownerId: other.ownerId, scopes: ["props:read"], name: "theirs" });
  const headers = { authorization: `Bearer ${mine.raw}` };

  const expectNotFound = async (response: Awaited<ReturnType<typeof request.get>>, what: string) => {
    expect(response.status(), what).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code, what).toBe("not_found");
  };
  await expectNotFound(await request.get(`/api/v1/props/${theirProp}`, { headers }), "GET their prop");
  await expectNotFound(await request.patch(`/api/v1/props/${theirProp}`, { headers, data: { name: "mine-now" } }), "PATCH their prop");
  await expectNotFound(await request.delete(`/api/v1/props/${theirProp}`, { headers }), "DELETE their prop");
  await expectNotFound(await request.get(`/api/v1/props/no-such-id`, { headers }), "GET a missing prop");
  await expectNotFound(await request.delete(`/api/v1/keys/${theirKey.id}`, { headers }), "DELETE their key");
  await expectNotFound(await request.post(`/api/v1/keys/${theirKey.id}/roll`, { headers, data: { grace_hours: 1 } }), "roll their key");
  // Their resources are not in our list, and their key reads as unknown to our verify.
  const list = await (await request.get(`/api/v1/props?limit=100`, { headers })).json();
  expect(list.data.map((p: { id: string }) => p.id)).not.toContain(theirProp);
  const verified = await (await request.post(`/api/v1/keys/verify`, { headers, data: { key: theirKey.raw } })).json();
  expect(verified).toMatchObject({ valid: false, code: "key_invalid" });
  // Nothing of theirs changed.
  expect(await queryOne(`SELECT "name" FROM "PlatformResource" WHERE "id" = ?`, theirProp)).toMatchObject({ name: "their-repo" });
  expect(await queryOne(`SELECT "revokedAt", "rolledToId" FROM "ApiKey" WHERE "id" = ?`, theirKey.id)).toMatchObject({ revokedAt: null, rolledToId: null });
});
