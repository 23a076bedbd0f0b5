// GET/POST /api/auth/*: next-auth's sign-in door (credentials callback, csrf, sign-out)
import { NextResponse, type NextRequest } from "next/server";
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/server/auth/auth-options";
import { getConfig } from "@/lib/server/config";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: RouteContext) {
  return NextAuth(req, context, getAuthOptions());
}

/**
 * Two GETs next-auth turns into a 500, answered here instead:
 * - every provider is a Credentials provider, whose callback takes a POST only
 *   (next-auth: "Callback for provider type credentials not supported");
 * - the error page redirect, which next-auth builds with the `error` value
 *   unencoded, so a control character breaks its Location header.
 */
async function get(req: NextRequest, context: RouteContext) {
  const [action, detail] = (await context.params).nextauth;
  if (action === "callback") {
    return NextResponse.json(
      { error: { code: "method_not_allowed", message: "Sign-in callbacks accept POST only." } },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  if (action === "error") {
    const target = new URL("/sign-in", getConfig().publicUrl);
    target.searchParams.set("error", (req.nextUrl.searchParams.get("error") ?? detail ?? "").slice(0, 100));
    return NextResponse.redirect(target, 302);
  }
  return handler(req, context);
}

export { get as GET, handler as POST };
