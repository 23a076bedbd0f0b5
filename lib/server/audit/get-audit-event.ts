import "server-only";
import type { Db } from "@/lib/server/db/client";

export type AuditMetadataValue = string | number | boolean | null | AuditMetadataValue[] | { [key: string]: AuditMetadataValue };

function parseMetadata(text: string): { [key: string]: AuditMetadataValue } {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as { [key: string]: AuditMetadataValue };
  } catch {
    // A row written by hand (or damaged) still opens; its raw text is shown.
  }
  return { raw: text };
}

/**
 * One event of the organization with every field, its metadata parsed, and the
 * sudo grant that allowed it (only when the grant belongs to the event's actor).
 * `null` for an id of another organization: its existence is not revealed.
 */
export async function getAuditEvent(db: Db, orgId: string, id: string) {
  const event = await db.auditEvent.findFirst({ where: { id, organizationId: orgId } });
  if (!event) return null;
  const grant = event.sudoGrantId
    ? await db.sudoGrant.findFirst({
        where: { id: event.sudoGrantId, ...(event.actorId ? { userId: event.actorId } : {}) },
        select: { id: true, factor: true, createdAt: true, expiresAt: true, endedAt: true },
      })
    : null;
  return { ...event, metadata: parseMetadata(event.metadata), metadataText: event.metadata, sudoGrant: grant };
}
export type AuditEventDetail = NonNullable<Awaited<ReturnType<typeof getAuditEvent>>>;
