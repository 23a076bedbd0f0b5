// GET /api/session: the calling browser's session as the console sees it (trust and sudo window);
// 401 without a valid session. Used by the console to refresh its banners after client navigation.
import { getCurrentSession } from "@/lib/server/auth/current-session";

export const dynamic = "force-dynamic";

export async function GET() {
  const headers = { "Cache-Control": "no-store" };
  const ctx = await getCurrentSession();
  if (!ctx) return Response.json({ error: { code: "unauthenticated", message: "No valid session." } }, { status: 401, headers });
  return Response.json(
    {
      user: { email: ctx.user.email, name: ctx.user.name },
      organization: ctx.org ? { name: ctx.org.name, slug: ctx.org.slug } : null,
      role: ctx.role,
      trust_state: ctx.session.trustState,
      trust_reason: ctx.session.trustReason,
      sudo_expires_at: ctx.sudo?.expiresAt.toISOString() ?? null,
      expires_at: ctx.session.expiresAt.toISOString(),
    },
    { headers },
  );
}
