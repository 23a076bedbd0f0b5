// GET /api/docs: the interactive API docs (swagger-ui), only with ENABLE_DOCS=true; otherwise 404.
import type { NextRequest } from "next/server";
import { getConfig } from "@/lib/server/config";
import { docsPage } from "@/lib/server/docs/docs-assets";

export const dynamic = "force-dynamic";

export function GET(req: NextRequest) {
  if (!getConfig().enableDocs) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  // proxy.ts puts the request's CSP nonce in x-nonce and the matching policy on the answer.
  const nonce = req.headers.get("x-nonce") ?? "";
  return new Response(docsPage(nonce), { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
