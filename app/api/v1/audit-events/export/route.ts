// GET /api/v1/audit-events/export?format=csv|jsonl: the filtered events as one streamed file (audit:read; the export is audited).
import { z } from "zod";
import { withApiKey } from "@/lib/server/api/with-api-key";
import { EXPORT_CONTENT_TYPE, exportAuditEvents, exportFileName, toByteStream } from "@/lib/server/audit/export-audit-events";
import { auditFilterSchema } from "@/lib/validations/audit";
import { otherMethods } from "@/lib/server/api/method-not-allowed";

const exportQuerySchema = auditFilterSchema.extend({ format: z.enum(["csv", "jsonl"]).default("jsonl") });

export const GET = withApiKey(
  async ({ db, key, actor, query }) => {
    const { format, ...filter } = query(exportQuerySchema);
    const now = new Date();
    const chunks = await exportAuditEvents(db, key.organizationId, filter, format, actor, now);
    return new Response(toByteStream(chunks), {
      headers: { "Content-Type": EXPORT_CONTENT_TYPE[format], "Content-Disposition": `attachment; filename="${exportFileName(format, now)}"` },
    });
  },
  { scope: "audit:read" },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
