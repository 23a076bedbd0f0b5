import type { Db } from "@/lib/server/db/client";
import { hashPassword } from "@/lib/server/auth/password";
import { randomBytes } from "node:crypto";
import type { Role } from "@/lib/permissions";

const id = () => randomBytes(12).toString("base64url");

/** Insert an organization with the given members directly (test set-up, not under test). */
export async function seedOrg(db: Db, name: string, members: { email: string; role: Role; password?: string }[]) {
  const org = await db.organization.create({ data: { id: id(), name, slug: `${name.toLowerCase()}-${id()}` } });
  const users: Record<string, { userId: string; membershipId: string }> = {};
  for (const m of members) {
    const existing = await db.user.findUnique({ where: { email: m.email } });
    const user =
      existing ??
      (await db.user.create({
        data: { id: id(), email: m.email, name: m.email.split("@")[0], passwordHash: await hashPassword(m.password ?? "correct horse battery") },
      }));
    const membership = await db.membership.create({ data: { id: id(), userId: user.id, organizationId: org.id, role: m.role } });
    users[m.email] = { userId: user.id, membershipId: membership.id };
  }
  return { orgId: org.id, users };
}
