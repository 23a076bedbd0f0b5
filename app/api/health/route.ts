// GET /api/health: the server and its database are reachable. Open, read-only, never returns secrets.
import { getDb } from "@/lib/server/db/client";
import { pingDatabase } from "@/lib/server/db/ping";

export const dynamic = "force-dynamic";

export async function GET() {
  const headers = { "Cache-Control": "no-store" };
  try {
    await pingDatabase(getDb());
    return Response.json({ status: "ok", checks: { database: "ok" } }, { headers });
  } catch {
    return Response.json({ status: "unavailable", checks: { database: "unreachable" } }, { status: 503, headers: { ...headers, "Retry-After": "5" } });
  }
}
