import "server-only";
import type { Db } from "@/lib/server/db/client";
import { verifyOrganizationChain } from "@/lib/server/audit/verify-organization-chain";
import type { ChainVerification } from "@/lib/server/audit/verify-audit-chain";
import { findOrganizationBySlug, operatorActor } from "./operator";

/**
 * `gatehouse audit verify --org`: recompute the organization's hash chain, then
 * record the check itself (as `system`) at the end of the chain it verified.
 */
export async function verifyOrganizationAudit(db: Db, orgSlug: string): Promise<{ org: { id: string; name: string; slug: string }; result: ChainVerification }> {
  const org = await findOrganizationBySlug(db, orgSlug);
  const result = await verifyOrganizationChain(db, org, operatorActor("audit verify"));
  return { org, result };
}
