// GET /api/v1/audit-events: the organization's audit events, newest first, with the console's filters and an opaque cursor (audit:read).
import { withApiKey, apiJson } from "@/lib/server/api/with-api-key";
import { searchAuditEventsFull } from "@/lib/server/audit/search-audit-events";
import { decodeAuditCursor } from "@/lib/server/audit/audit-cursor";
import { auditEventJson } from "@/lib/server/audit/audit-event-json";
import { auditFilterSchema, auditPageSchema } from "@/lib/validations/audit";
import { positionAt } from "@/lib/server/audit/audit-cursor";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

export const GET = withApiKey(
  async ({ db, key, query }) => {
    const filter = query(auditFilterSchema);
    const paging = query(auditPageSchema);
    const after = paging.cursor ? decodeAuditCursor(paging.cursor, filter) : paging.at ? positionAt(paging.at) : null;
    const page = await searchAuditEventsFull(db, key.organizationId, filter, { after, limit: paging.limit ?? 50 });
    return apiJson({ data: page.events.map(auditEventJson), next_cursor: page.nextCursor });
  },
  { scope: "audit:read" },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
