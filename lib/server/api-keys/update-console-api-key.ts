import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { UpdateKeyForm } from "@/lib/validations/api-keys";
import { consoleKeyAuthority, consoleRateLimitOverride, type ConsoleMember } from "./create-console-api-key";
import { updateApiKey } from "./update-api-key";

/**
 * The console's edit form: name, restrictions and IP allowlist for the key's
 * owner (or an owner or admin); the rate-limit override only for owners and
 * admins (an empty value removes it).
 */
export async function updateConsoleApiKey(db: Db, member: ConsoleMember, form: UpdateKeyForm) {
  return updateApiKey(db, {
    keyId: form.keyId,
    authority: consoleKeyAuthority(member),
    actor: member.actor,
    name: form.name,
    restrictions: form.restrictions,
    allowedCidrs: form.allowedCidrs,
    rateLimitPerMinute: consoleRateLimitOverride(member, form.rateLimitPerMinute),
  });
}
