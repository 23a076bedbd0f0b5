// POST /audit/verify: verify the organization's audit chain, streamed as JSON Lines
// (progress lines, then one result line with the head or the first broken link).
import { getDb } from "@/lib/server/db/client";
import { requireConsoleAuditReader } from "@/lib/server/audit/console-audit-reader";
import { verifyOrganizationChain } from "@/lib/server/audit/verify-organization-chain";

export const dynamic = "force-dynamic";

export async function POST() {
  const reader = await requireConsoleAuditReader();
  if (!reader.ok) return reader.response;
  const db = getDb();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const line = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const result = await verifyOrganizationChain(db, { id: reader.orgId, name: reader.orgName }, reader.actor, {
          onProgress: ({ checked, seq }) => line({ type: "progress", checked, seq }),
        });
        line({ type: "result", ...result, head: result.head ? { ...result.head, occurredAt: result.head.occurredAt.toISOString() } : null, verifiedAt: new Date().toISOString() });
      } catch (error) {
        console.error("[gatehouse] audit verification failed", error);
        line({ type: "error", message: "The verification could not finish. Try again." });
      }
      controller.close();
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
}
