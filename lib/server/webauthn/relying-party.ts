import "server-only";
import { getConfig } from "@/lib/server/config";

export interface RelyingParty {
  rpID: string;
  rpName: string;
  origin: string;
}

/**
 * The WebAuthn relying party, derived only from the configured PUBLIC_URL and
 * never from request headers: a credential is scoped to rpID (the hostname) and
 * every response must come from `origin`, so a forged Host header cannot make
 * us accept a ceremony performed on another site.
 */
export function getRelyingParty(): RelyingParty {
  const url = new URL(getConfig().publicUrl);
  return { rpID: url.hostname, rpName: "Gatehouse", origin: url.origin };
}
