// GET /audit/export?format=csv|jsonl&<filters>: the current view of the audit log as a streamed file (audited).
import type { NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/server/db/client";
import { requireConsoleAuditReader } from "@/lib/server/audit/console-audit-reader";
import { EXPORT_CONTENT_TYPE, exportAuditEvents, exportFileName, toByteStream } from "@/lib/server/audit/export-audit-events";
import { auditFilterSchema } from "@/lib/validations/audit";

export const dynamic = "force-dynamic";

const formatSchema = z.enum(["csv", "jsonl"]);

export async function GET(req: NextRequest) {
  const reader = await requireConsoleAuditReader();
  if (!reader.ok) return reader.response;
  const query = Object.fromEntries(req.nextUrl.searchParams);
  const format = formatSchema.safeParse(query.format);
  const filter = auditFilterSchema.safeParse(query);
  if (!format.success || !filter.success) {
    return Response.json({ error: { code: "validation_failed", message: "Choose format=csv or format=jsonl and valid filters." } }, { status: 400 });
  }
  const now = new Date();
  const chunks = await exportAuditEvents(getDb(), reader.orgId, filter.data, format.data, reader.actor, now);
  return new Response(toByteStream(chunks), {
    headers: {
      "Content-Type": EXPORT_CONTENT_TYPE[format.data],
      "Content-Disposition": `attachment; filename="${exportFileName(format.data, now)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
