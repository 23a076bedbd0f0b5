import "server-only";
import type { Db } from "@/lib/server/db/client";
import { newId } from "@/lib/server/crypto";
import { AppError } from "@/lib/server/errors";
import { hashPassword } from "@/lib/server/auth/password";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import type { RequestContext } from "@/lib/server/request-context";
import { auditEventBy, type SystemActor } from "@/lib/server/audit/actor";
import { slugify } from "@/lib/slugify";
import { consumeSetupToken } from "./setup-token";

export async function isSetupComplete(db: Db): Promise<boolean> {
  return (await db.user.count()) > 0;
}

interface SetupFields {
  name: string;
  email: string;
  password: string;
  orgName: string;
}

/**
 * Who may set up: whoever holds the one-time token from the link the server
 * printed (lib/server/setup/setup-token.ts), or the operator on the server
 * host (the CLI's `bootstrap`), audited as `system`.
 */
type SetupInput = SetupFields & ({ token: string; request: RequestContext } | { operator: SystemActor });

/**
 * First run: create the first user as owner of the first organization. Needs
 * the one-time setup token and refuses once any user exists; the token, the
 * check and the inserts share one transaction so two racing setups cannot
 * both succeed.
 */
export async function setupFirstOwner(db: Db, input: SetupInput) {
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    if ((await tx.user.count()) > 0) throw new AppError("setup_complete", "Gatehouse is already set up. Sign in instead.");
    if ("token" in input) await consumeSetupToken(tx, input.token);
    // Setup happens once: the printed links stop working with it.
    else await tx.setupToken.deleteMany({});
    const user = await tx.user.create({
      data: { id: newId(), email: input.email, name: input.name, passwordHash },
    });
    const org = await tx.organization.create({
      data: { id: newId(), name: input.orgName, slug: slugify(input.orgName) || "org" },
    });
    await tx.membership.create({ data: { id: newId(), userId: user.id, organizationId: org.id, role: "owner" } });
    const event = {
      organizationId: org.id,
      action: "organization.created",
      resource: { type: "organization", id: org.id, label: org.name },
      outcome: "success" as const,
      metadata: { first_run: true, owner_email: user.email },
    };
    await recordAuditEvent(
      tx,
      "token" in input
        ? { ...event, actor: { type: "user", id: user.id, label: user.email }, context: { ip: input.request.ip, userAgent: input.request.userAgent } }
        : auditEventBy(input.operator, event),
    );
    return { userId: user.id, orgId: org.id, orgSlug: org.slug };
  });
}
