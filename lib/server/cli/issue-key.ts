import "server-only";
import type { Db } from "@/lib/server/db/client";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { findKeyOwner, findOrganizationBySlug, operatorActor } from "./operator";

/**
 * `gatehouse keys create`: issue a key in an organization, owned by a member
 * (its first owner unless an email is given), so the owner's role bounds it
 * like any other key. Validated and audited by createApiKey, as `system`.
 */
export async function issueKeyAsOperator(
  db: Db,
  input: { orgSlug: string; ownerEmail?: string; name: string; scopes: string[]; expiresAt: Date | null; noExpiry: boolean },
) {
  const org = await findOrganizationBySlug(db, input.orgSlug);
  const owner = await findKeyOwner(db, org.id, input.ownerEmail);
  const created = await createApiKey(db, {
    orgId: org.id,
    actor: operatorActor("keys create"),
    ownerId: owner.userId,
    name: input.name,
    scopes: input.scopes,
    expiresAt: input.expiresAt,
    noExpiry: input.noExpiry,
  });
  return { ...created, org, owner };
}
