import "server-only";
import { redirect } from "next/navigation";
import { can, type Permission, type Role } from "@/lib/permissions";
import { AppError } from "@/lib/server/errors";
import { getCurrentSession } from "./current-session";
import type { SessionContext } from "@/lib/server/sessions/load-session";

export type OrgSessionContext = SessionContext & {
  org: NonNullable<SessionContext["org"]>;
  role: Role;
};

/** A valid session or a redirect to sign-in. For pages, layouts and actions. */
export async function requireSession(): Promise<SessionContext> {
  const ctx = await getCurrentSession();
  if (!ctx) redirect("/sign-in");
  return ctx;
}

/** A valid session acting inside an organization the user still belongs to. */
export async function requireOrgSession(): Promise<OrgSessionContext> {
  const ctx = await requireSession();
  if (!ctx.org || !ctx.role) redirect("/no-organization");
  return { ...ctx, org: ctx.org, role: ctx.role };
}

/**
 * The session's role in its active organization must grant `permission`;
 * otherwise a `forbidden` AppError (the action wrapper turns it into a result).
 */
export async function requirePermission(permission: Permission): Promise<OrgSessionContext> {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, permission)) {
    throw new AppError("forbidden", "Your role in this organization does not allow this.");
  }
  return ctx;
}
