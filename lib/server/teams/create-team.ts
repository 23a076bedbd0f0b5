import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { auditEventBy, type Actor } from "@/lib/server/audit/actor";
import { takenNameOr } from "./team-errors";

/** Create a team in the organization (audited in the same transaction); conflict on a taken name. */
export async function createTeam(db: Db, { orgId, name, actor }: { orgId: string; name: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { id: newId(), organizationId: orgId, name } }).catch(takenNameOr("team", name));
    await recordAuditEvent(tx, auditEventBy(actor, { organizationId: orgId, action: "team.created", resource: { type: "team", id: team.id, label: team.name }, outcome: "success" }));
    return { id: team.id, name: team.name };
  });
}
