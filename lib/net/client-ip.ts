import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

// "::1.2.3.4" (the deprecated IPv4-compatible form) is a different address from
// "::ffff:1.2.3.4", but ipaddr.js reads it as the mapped one: refuse it.
const IPV4_COMPATIBLE = /^::\d+\.\d+\.\d+\.\d+$/;

/**
 * One address in strict notation, or null: IPv4 in four-part decimal, IPv6
 * without a zone id. The syntax gate is node:net's isIP because ipaddr.js also
 * accepts inet_aton forms ("1.2.3", "0x7f.1", "010.0.0.1") that nobody writes
 * in a header or a configuration on purpose. IPv4-mapped IPv6 becomes IPv4.
 */
function parseAddress(text: string): Address | null {
  if (isIP(text) === 0 || text.includes("%") || IPV4_COMPATIBLE.test(text)) return null;
  const addr = ipaddr.parse(text);
  return addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress() ? addr.toIPv4Address() : addr;
}

/**
 * An address as proxies write it in X-Forwarded-For: bare, "1.2.3.4:5678",
 * "[2001:db8::1]" or "[2001:db8::1]:443". A bare IPv6 address never carries a
 * port ("2001:db8::1:443" is an address).
 */
function parseHop(raw: string): Address | null {
  const text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed) return isIP(bracketed[1]) === 6 ? parseAddress(bracketed[1]) : null;
  const v4WithPort = /^([\d.]+):(\d{1,5})$/.exec(text);
  return parseAddress(v4WithPort ? v4WithPort[1] : text);
}

/**
 * The canonical text of one address (IPv4 dotted decimal, IPv6 per RFC 5952,
 * IPv4-mapped IPv6 as IPv4), or null when `raw` is not exactly one address.
 */
export function normalizeIp(raw: string): string | null {
  return parseAddress(raw.trim())?.toString() ?? null;
}

/** A TRUSTED_PROXY_HOSTS entry after validation: one address (a /32 or /128) or a CIDR range. */
export interface IpRange {
  readonly address: Address;
  readonly prefix: number;
  /** Canonical text: "10.0.0.0/8", "2001:db8::/32", or the address alone. */
  readonly text: string;
}

export type IpRangeParse = { ok: true; range: IpRange } | { ok: false; reason: string };

/**
 * Parse one TRUSTED_PROXY_HOSTS entry. Anything that is not exactly an address
 * or an address with a decimal prefix length in range (0–32 for IPv4, 0–128 for
 * IPv6, no sign or leading zero) is refused, as is a range with bits set after
 * its prefix (the operator meant something else). Nothing is ever defaulted or
 * wrapped, so an accepted range is never wider than the one written.
 * "::ffff:a.b.c.d/p" with p ≥ 96 is the IPv4 range a.b.c.d/(p-96).
 */
export function parseIpRange(entry: string): IpRangeParse {
  const text = entry.trim();
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const notAnAddress = { ok: false as const, reason: `"${text}" is not an IP address or CIDR range` };
  if (isIP(addressText) === 0 || addressText.includes("%") || IPV4_COMPATIBLE.test(addressText)) return notAnAddress;
  const written = ipaddr.parse(addressText);
  const max = written.kind() === "ipv4" ? 32 : 128;
  if (slash < 0) {
    const address = parseAddress(addressText);
    return address ? { ok: true, range: { address, prefix: address.kind() === "ipv4" ? 32 : 128, text: address.toString() } } : notAnAddress;
  }
  const prefixText = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, reason: `"${text}" has an invalid prefix length: use /0 to /${max} for ${written.kind() === "ipv4" ? "IPv4" : "IPv6"}` };
  }
  const [base, prefix] = ipaddr.parseCIDR(`${addressText}/${prefixText}`);
  const network = base.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(`${base}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${base}/${prefix}`);
  if (network.toString() !== base.toString()) {
    return { ok: false, reason: `"${text}" has bits set after its /${prefix} prefix: write the network address (${network}/${prefix})` };
  }
  if (network instanceof ipaddr.IPv6 && network.isIPv4MappedAddress() && prefix >= 96) {
    const v4 = network.toIPv4Address();
    return { ok: true, range: { address: v4, prefix: prefix - 96, text: `${v4}/${prefix - 96}` } };
  }
  return { ok: true, range: { address: network, prefix, text: `${network}/${prefix}` } };
}

function inRanges(addr: Address, ranges: readonly IpRange[]): boolean {
  return ranges.some((r) => r.address.kind() === addr.kind() && addr.match(r.address, r.prefix));
}

/** Is `ip` (one address, any notation normalizeIp accepts) inside one of `ranges`? */
export function ipInRanges(ip: string, ranges: readonly IpRange[]): boolean {
  const addr = parseAddress(ip.trim());
  return addr !== null && inRanges(addr, ranges);
}

/**
 * The client's address (canonical text), or null without a usable peer.
 *
 * The rule, exactly:
 * 1. The socket peer is the answer unless it is inside `trustedProxies` and an
 *    X-Forwarded-For header is present.
 * 2. Otherwise X-Forwarded-For is read right to left (several headers count as
 *    one list joined by commas). Each hop may carry a port ("1.2.3.4:5678",
 *    "[2001:db8::1]:443"), which is dropped. A hop inside `trustedProxies` is
 *    skipped; the first hop that is a valid address outside them is the client.
 * 3. The walk stops at the first hop that is not a valid address (an empty
 *    entry, "unknown", garbage, a zone id): everything from there leftwards was
 *    written by someone we cannot vouch for. Then, and when every hop is a
 *    trusted proxy, the answer is the socket peer, never a client-supplied hop.
 * A forged leftmost entry therefore cannot be chosen while a trusted proxy
 * appends the real address.
 */
export function resolveClientIp(peer: string | null, forwardedFor: string | null, trustedProxies: readonly IpRange[]): string | null {
  const peerAddr = peer === null ? null : parseAddress(peer.trim());
  if (!peerAddr) return null;
  if (forwardedFor === null || !inRanges(peerAddr, trustedProxies)) return peerAddr.toString();
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]);
    if (!hop) break;
    if (!inRanges(hop, trustedProxies)) return hop.toString();
  }
  return peerAddr.toString();
}

/** The network of `addr` at `prefix` bits, as "network/prefix" in canonical text. */
function networkText(addr: Address, prefix: number): string {
  const cidr = `${addr}/${prefix}`;
  const network = addr.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${network}/${prefix}`;
}

/**
 * The network `ip` belongs to, as "network/prefix" ("203.0.113.0/24",
 * "2001:db8:abcd::/48"), with IPv4-mapped IPv6 treated as IPv4; null when `ip`
 * is missing or not one address. Equal networks give equal strings.
 */
export function networkOf(ip: string | null | undefined, bits: { ipv4: number; ipv6: number }): string | null {
  const addr = ip ? parseAddress(ip.trim()) : null;
  if (!addr) return null;
  return networkText(addr, addr.kind() === "ipv4" ? bits.ipv4 : bits.ipv6);
}

/**
 * The rate-limit subject for a client address: the IPv4 address itself (also
 * when written IPv4-mapped, "::ffff:192.0.2.1"), the /64 of an IPv6 address in
 * canonical text ("2001:db8:1:2::/64": one subscriber usually holds a whole /64,
 * so rotating inside it must not escape a limit), and "unknown" for null or
 * anything that is not one address (all such requests share one bucket).
 */
export function rateLimitNetwork(ip: string | null): string {
  const addr = ip === null ? null : parseAddress(ip.trim());
  if (!addr) return "unknown";
  return addr.kind() === "ipv4" ? addr.toString() : networkText(addr, 64);
}
