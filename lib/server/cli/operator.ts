import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { SystemActor } from "@/lib/server/audit/actor";
import { AppError } from "@/lib/server/errors";

/** The operator on the server host, as audit events record the CLI: actor type `system`. */
export function operatorActor(command: string): SystemActor {
  return { kind: "system", label: `operator CLI: ${command}` };
}

export async function findOrganizationBySlug(db: Db, slug: string) {
  const org = await db.organization.findUnique({ where: { slug }, select: { id: true, name: true, slug: true } });
  if (!org) throw new AppError("not_found", `No organization has the slug "${slug}".`);
  return org;
}

/** A member of the organization by email, or its first owner (the oldest owner membership) without one. */
export async function findKeyOwner(db: Db, orgId: string, email: string | undefined) {
  const membership = await db.membership.findFirst({
    where: { organizationId: orgId, ...(email ? { user: { email: email.trim().toLowerCase() } } : { role: "owner" }) },
    orderBy: { createdAt: "asc" },
    select: { userId: true, role: true, user: { select: { email: true } } },
  });
  if (!membership) throw new AppError("not_found", email ? `${email} is not a member of this organization.` : "This organization has no owner.");
  return { userId: membership.userId, email: membership.user.email, role: membership.role };
}
