import "server-only";
import type { Tx } from "@/lib/server/db/client";
import { AppError } from "@/lib/server/errors";

/** Who is acting on a key: owners and admins (and keys:manage keys) any key of the organization, members their own. */
export interface KeyAuthority {
  orgId: string;
  /** The acting member (a key's owner when a key acts). */
  userId: string;
  manageAll: boolean;
}

/** The key, if the authority may act on it; another organization's key, or a colleague's for a member, is "not found". */
export async function findManageableKey(tx: Tx, keyId: string, authority: KeyAuthority) {
  const key = await tx.apiKey.findFirst({ where: { id: keyId, organizationId: authority.orgId } });
  if (!key || (!authority.manageAll && key.ownerId !== authority.userId)) throw new AppError("not_found", "That API key does not exist.");
  return key;
}
