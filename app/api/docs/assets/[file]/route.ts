// GET /api/docs/assets/{file}: swagger-ui's CSS and script and our initializer, only with ENABLE_DOCS=true; otherwise 404.
import { getConfig } from "@/lib/server/config";
import { docsAsset } from "@/lib/server/docs/docs-assets";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const asset = getConfig().enableDocs ? await docsAsset((await params).file) : null;
  if (!asset) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(asset.body, { headers: { "Content-Type": asset.type, "Cache-Control": "public, max-age=3600" } });
}
