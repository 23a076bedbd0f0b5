import { networkOf } from "@/lib/net/client-ip";
import { describeUserAgent } from "@/lib/user-agent";

/**
 * The network a client address belongs to for trust purposes: the IPv4 /24 or
 * the IPv6 /48 (IPv4-mapped IPv6 counts as IPv4), in canonical text so equal
 * networks compare equal. Moving inside it (a new DHCP lease) keeps trust;
 * leaving it does not. Null for a missing or unparseable address.
 */
export function ipNetwork(ip: string | null | undefined): string | null {
  return networkOf(ip, { ipv4: 24, ipv6: 48 });
}

export interface ClientContext {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Why a trusted session must become untrusted when it is used from `now`
 * after being trusted at `baseline`, or null when nothing sensitive changed.
 * Rules: the IP left its network, or the browser or OS family changed.
 * A missing value on either side is not treated as a change.
 */
export function contextChangeReason(baseline: ClientContext, now: ClientContext): string | null {
  const before = ipNetwork(baseline.ip);
  const after = ipNetwork(now.ip);
  if (before && after && before !== after) return `The IP address moved to another network (${now.ip})`;
  if (baseline.userAgent && now.userAgent) {
    const a = describeUserAgent(baseline.userAgent);
    const b = describeUserAgent(now.userAgent);
    if (a.browser !== b.browser) return `The browser changed from ${a.browser} to ${b.browser}`;
    if (a.os !== b.os) return `The operating system changed from ${a.os} to ${b.os}`;
  }
  return null;
}
