import "server-only";
import type { Db } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";
import type { UserActor } from "@/lib/server/audit/actor";
import type { Role } from "@/lib/permissions";
import type { CreateKeyForm } from "@/lib/validations/api-keys";
import { createApiKey } from "./create-api-key";
import type { KeyAuthority } from "./find-manageable-key";

/** A member acting in the console: their organization, role and audit actor. */
export interface ConsoleMember {
  orgId: string;
  role: Role;
  actor: UserActor;
}

const DAY = 86_400_000;

/** Owners and admins act on every key of the organization; members on their own. */
export function consoleKeyAuthority(member: ConsoleMember): KeyAuthority {
  return { orgId: member.orgId, userId: member.actor.userId, manageAll: member.role === "owner" || member.role === "admin" };
}

/**
 * The rate-limit override as the console may pass it on: only owners and
 * admins set one (the value then follows normalizeRateLimitOverride's rule);
 * anyone else sending one is refused rather than silently ignored.
 */
export function consoleRateLimitOverride(member: ConsoleMember, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "") return member.role === "owner" || member.role === "admin" ? "" : undefined;
  if (member.role !== "owner" && member.role !== "admin") {
    throw new AppError("forbidden", "Only owners and admins can set a rate-limit override.", { fieldErrors: { rateLimitPerMinute: ["Only owners and admins can set a rate-limit override."] } });
  }
  return value;
}

/** The expiry the form asked for: a preset number of days, the start of a chosen day (UTC), or none. */
export function expiryFromForm(form: Pick<CreateKeyForm, "expiry" | "expiresOn">, now = new Date()): { expiresAt?: Date; noExpiry?: boolean } {
  if (form.expiry === "never") return { noExpiry: true };
  if (form.expiry === "custom") {
    const date = new Date(`${form.expiresOn}T00:00:00.000Z`);
    if (Number.isNaN(date.getTime())) throw new AppError("validation_failed", "Pick the date the key expires.", { fieldErrors: { expiresOn: ["Pick a valid date."] } });
    return { expiresAt: date };
  }
  return { expiresAt: new Date(now.getTime() + Number(form.expiry) * DAY) };
}

/**
 * The console's "Create API key": the signed-in member owns the key, so
 * their role bounds its scopes; the rest is createApiKey's validation
 * (scopes, expiry against the organization's maximum, CIDRs, restrictions,
 * agent, the override rule). Returns the raw key, once.
 */
export async function createConsoleApiKey(db: Db, member: ConsoleMember, form: CreateKeyForm) {
  const rateLimitPerMinute = consoleRateLimitOverride(member, form.rateLimitPerMinute);
  const expiry = expiryFromForm(form);
  return createApiKey(db, {
    orgId: member.orgId,
    actor: member.actor,
    ownerId: member.actor.userId,
    name: form.name,
    scopes: form.scopes,
    restrictions: form.restrictions,
    ...expiry,
    allowedCidrs: form.allowedCidrs,
    rateLimitPerMinute: rateLimitPerMinute || undefined,
    agentId: form.agentId || null,
  });
}
