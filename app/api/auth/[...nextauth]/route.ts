// GET/POST /api/auth/*: next-auth's sign-in door (credentials callback, csrf, sign-out)
import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { getAuthOptions } from "@/lib/server/auth/auth-options";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: RouteContext) {
  return NextAuth(req, context, getAuthOptions());
}

export { handler as GET, handler as POST };
