import "server-only";
import type { Db } from "@/lib/server/db/client";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditByUser, type UserActor } from "@/lib/server/audit/actor";

/** Turn the organization's "everyone needs 2FA" policy on or off (owners, sudo). */
export async function setRequireTwoFactor(db: Db, input: { orgId: string; required: boolean; actor: UserActor }) {
  await db.$transaction(async (tx) => {
    const org = await tx.organization.update({ where: { id: input.orgId }, data: { require2fa: input.required } });
    await recordAuditEvent(tx, {
      organizationId: input.orgId,
      ...auditByUser(input.actor),
      action: "organization.two_factor_policy_changed",
      resource: { type: "organization", id: org.id, label: org.name },
      outcome: "success",
      metadata: { required: input.required },
    });
  });
}
