import "server-only";
import { getConfig } from "@/lib/server/config";

/**
 * The master keys of the `db` vault backend: `current` wraps every new data
 * key; `all` (current first, then GATEHOUSE_MASTER_KEY_PREVIOUS) may unwrap,
 * so a rotation works without downtime until `gatehouse vault rewrap` ran.
 */
export function vaultMasterKeys(): { current: Buffer; all: Buffer[] } {
  const { masterKey, previousMasterKey } = getConfig();
  if (!masterKey) throw new Error("GATEHOUSE_MASTER_KEY is not configured: the vault cannot seal or open values");
  return { current: masterKey, all: previousMasterKey ? [masterKey, previousMasterKey] : [masterKey] };
}
