import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy } from "@/lib/server/audit/actor";
import { verifyAuditChain, type ChainVerification } from "@/lib/server/audit/verify-audit-chain";
import { findOrganizationBySlug, operatorActor } from "./operator";

/**
 * `gatehouse audit verify --org`: recompute the organization's hash chain, then
 * record the check itself (as `system`) at the end of the chain it verified.
 */
export async function verifyOrganizationAudit(db: Db, orgSlug: string): Promise<{ org: { id: string; name: string; slug: string }; result: ChainVerification }> {
  const org = await findOrganizationBySlug(db, orgSlug);
  const result = await verifyAuditChain(db, org.id);
  await db.$transaction((tx) =>
    recordAuditEvent(
      tx,
      auditEventBy(operatorActor("audit verify"), {
        organizationId: org.id,
        action: "audit.chain_verified",
        resource: { type: "organization", id: org.id, label: org.name },
        outcome: result.ok ? "success" : "failure",
        metadata: result.ok ? { checked: result.checked } : { checked: result.checked, broken_at_seq: result.brokenAtSeq, reason: result.reason },
      }),
    ),
  );
  return { org, result };
}
