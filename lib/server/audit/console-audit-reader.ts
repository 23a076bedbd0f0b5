import "server-only";
import { can } from "@/lib/permissions";
import { getCurrentSession } from "@/lib/server/auth/current-session";
import { getRequestContext } from "@/lib/server/request-context";
import type { UserActor } from "./actor";

/**
 * For the console's audit route handlers (export, verification): the signed-in
 * member who may read the audit log, as an actor, or the HTTP answer refusing
 * them. Reads only: an untrusted session may still read and export.
 */
export async function requireConsoleAuditReader(): Promise<{ ok: true; orgId: string; orgName: string; actor: UserActor } | { ok: false; response: Response }> {
  const ctx = await getCurrentSession();
  const refuse = (status: number, code: string, message: string) => ({ ok: false as const, response: Response.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } }) });
  if (!ctx || ctx.session.trustState === "pending_second_factor") return refuse(401, "unauthenticated", "Sign in first.");
  if (!ctx.org || !ctx.role) return refuse(403, "forbidden", "You are not in an organization.");
  if (ctx.org.require2fa && !ctx.user.hasSecondFactor) return refuse(403, "forbidden", "Set up a second factor first.");
  if (!can(ctx.role, "audit.read")) return refuse(403, "forbidden", "Your role in this organization does not allow this.");
  return {
    ok: true,
    orgId: ctx.org.id,
    orgName: ctx.org.name,
    actor: {
      userId: ctx.user.id,
      email: ctx.user.email,
      sessionId: ctx.session.id,
      sessionPublicId: ctx.session.publicId,
      request: await getRequestContext(),
    },
  };
}
