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

/**
 * A valid session that has passed sign-in, or a redirect: to sign-in without
 * one, to the second-factor challenge while 2FA is still owed.
 */
export async function requireSession(): Promise<SessionContext> {
  const ctx = await getCurrentSession();
  if (!ctx) redirect("/sign-in");
  if (ctx.session.trustState === "pending_second_factor") redirect("/two-factor");
  return ctx;
}

/**
 * A valid session acting inside an organization the user still belongs to.
 * When the organization requires 2FA and the user has none, only the
 * enrolment page is reachable (`allowUnenrolled`).
 */
export async function requireOrgSession(options: { allowUnenrolled?: boolean } = {}): Promise<OrgSessionContext> {
  const ctx = await requireSession();
  if (!ctx.org || !ctx.role) redirect("/no-organization");
  if (ctx.org.require2fa && !ctx.user.hasSecondFactor && !options.allowUnenrolled) redirect("/security?enroll=required");
  return { ...ctx, org: ctx.org, role: ctx.role };
}

/** The role must grant `permission`, otherwise AppError("forbidden"). */
export function assertPermission(ctx: OrgSessionContext, permission: Permission): void {
  if (!can(ctx.role, permission)) throw new AppError("forbidden", "Your role in this organization does not allow this.");
}

/** Mutations need a trusted session: an untrusted one can read but must restore trust first. */
export function assertTrusted(ctx: SessionContext): void {
  if (ctx.session.trustState !== "trusted") {
    throw new AppError("untrusted", `This session is untrusted (${ctx.session.trustReason}). Restore trust to make changes.`);
  }
}

/** Sensitive actions need an open sudo window on this session; returns the grant that allows the action. */
export function requireSudo(ctx: SessionContext): NonNullable<SessionContext["sudo"]> {
  assertTrusted(ctx);
  if (!ctx.sudo) throw new AppError("sudo_required", "Confirm it's you to continue: this action needs sudo mode.");
  return ctx.sudo;
}

/** For actions: the session, the permission, and trust (every mutation needs a trusted session). */
export async function requirePermission(permission: Permission): Promise<OrgSessionContext> {
  const ctx = await requireOrgSession();
  assertPermission(ctx, permission);
  assertTrusted(ctx);
  return ctx;
}
