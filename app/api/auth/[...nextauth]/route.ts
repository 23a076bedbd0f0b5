// GET/POST /api/auth/*: next-auth's sign-in door (credentials callback, csrf, sign-out)
import { NextResponse, type NextRequest } from "next/server";
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/server/auth/auth-options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: RouteContext) {
  return NextAuth(req, context, getAuthOptions());
}

/**
 * Every provider is a Credentials provider, whose callback only takes a POST;
 * next-auth answers a GET there with a 500 ("Callback for provider type
 * credentials not supported"), so it is refused here.
 */
async function get(req: NextRequest, context: RouteContext) {
  const [action] = (await context.params).nextauth;
  if (action === "callback") {
    return NextResponse.json(
      { error: { code: "method_not_allowed", message: "Sign-in callbacks accept POST only." } },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  return handler(req, context);
}

export { get as GET, handler as POST };
