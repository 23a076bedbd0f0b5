import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "./record-audit-event";
import { auditEventBy, type Actor } from "./actor";
import { verifyAuditChain, type ChainVerification } from "./verify-audit-chain";

/**
 * Verify an organization's audit chain and record the check itself (by
 * `actor`) at the end of the chain it verified, with the head it found: the
 * console's "Verify chain" button and the CLI's `audit verify` both run this.
 */
export async function verifyOrganizationChain(
  db: Db,
  org: { id: string; name: string },
  actor: Actor,
  options: Parameters<typeof verifyAuditChain>[2] = {},
): Promise<ChainVerification> {
  const result = await verifyAuditChain(db, org.id, options);
  const head = { head_seq: result.head?.seq ?? null, head_hash: result.head?.hash ?? null };
  await db.$transaction((tx) =>
    recordAuditEvent(
      tx,
      auditEventBy(actor, {
        organizationId: org.id,
        action: "audit.chain_verified",
        resource: { type: "organization", id: org.id, label: org.name },
        outcome: result.ok ? "success" : "failure",
        metadata: result.ok
          ? { checked: result.checked, ...head }
          : { checked: result.checked, ...head, broken_at_seq: result.brokenAtSeq, reason: result.reason, event_id: result.eventId },
      }),
    ),
  );
  return result;
}
