// GET /api/health/live: the process is up and serving (no database access). Open, read-only.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
