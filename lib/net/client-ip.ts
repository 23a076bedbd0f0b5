import { isIP } from "node:net";

/** Strip the IPv4-mapped IPv6 prefix and brackets so addresses compare as people write them. */
export function normalizeIp(raw: string): string {
  let ip = raw.trim();
  if (ip.startsWith("[") && ip.includes("]")) ip = ip.slice(1, ip.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) ip = ip.slice(7);
  return ip.toLowerCase();
}

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

/** The eight 16-bit groups of an IPv6 address, with "::" expanded. */
export function expandIpv6(ip: string): number[] {
  const [head, tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return groups.map((g) => parseInt(g || "0", 16));
}

/** Does `ip` fall inside `entry`, which is an exact address or a CIDR range? */
export function ipMatches(ip: string, entry: string): boolean {
  const addr = normalizeIp(ip);
  const [base, bitsRaw] = entry.trim().split("/");
  const net = normalizeIp(base);
  if (bitsRaw === undefined) return addr === net;
  const bits = Number(bitsRaw);
  if (isIP(addr) === 4 && isIP(net) === 4) {
    if (bits === 0) return true;
    const mask = (~0 << (32 - bits)) >>> 0;
    return (ipv4ToInt(addr) & mask) === (ipv4ToInt(net) & mask);
  }
  if (isIP(addr) === 6 && isIP(net) === 6) {
    const a = expandIpv6(addr);
    const n = expandIpv6(net);
    for (let i = 0, left = bits; left > 0; i++, left -= 16) {
      const m = left >= 16 ? 0xffff : (0xffff << (16 - left)) & 0xffff;
      if ((a[i] & m) !== (n[i] & m)) return false;
    }
    return true;
  }
  return false;
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy;
 * then X-Forwarded-For is read right to left, skipping trusted proxies, and the
 * first address that is not one of them is the client. A forged leftmost entry
 * can therefore never be chosen while a trusted proxy appends the real one.
 */
export function resolveClientIp(peer: string | null, forwardedFor: string | null, trustedProxies: readonly string[]): string | null {
  if (!peer) return null;
  const peerIp = normalizeIp(peer);
  const trusted = (ip: string) => trustedProxies.some((entry) => ipMatches(ip, entry));
  if (!forwardedFor || !trusted(peerIp)) return peerIp;
  const hops = forwardedFor.split(",").map(normalizeIp).filter((ip) => isIP(ip) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted(hops[i])) return hops[i];
  }
  return hops[0] ?? peerIp;
}

/** Rate-limit subject of an address: IPv4 itself, IPv6 by /64 (interim; replaced by the ipaddr.js version). */
export function rateLimitNetwork(ip: string | null): string {
  if (!ip) return "unknown";
  const addr = normalizeIp(ip);
  if (isIP(addr) === 4) return addr;
  if (isIP(addr) !== 6) return "unknown";
  return `${expandIpv6(addr).slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}
