import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { IpRange } from "./client-ip";

/**
 * Which addresses an outbound webhook may connect to. Everything that is not
 * plain public unicast by ipaddr.js's classification is refused: loopback,
 * private, link-local, CGNAT, multicast, broadcast, documentation, benchmark,
 * unique-local, site-local, 0.0.0.0/8, reserved, and every IPv6 form that
 * carries an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo), whatever
 * the embedded address. Cloud metadata addresses are refused even when an
 * allowlist covers them. `allowedPrivate` (WEBHOOKS_ALLOWED_PRIVATE_CIDRS) is
 * the only way to reach anything else.
 */
export type AddressVerdict = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

// Metadata services that a public-looking or allowlisted range may contain.
const METADATA = new Set(["169.254.169.254", "169.254.170.2", "168.63.129.16", "100.100.100.200", "192.0.0.192", "fd00:ec2::254"]);

function inRanges(addr: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly IpRange[]): boolean {
  return ranges.some((r) => r.address.kind() === addr.kind() && addr.match(r.address, r.prefix));
}

/** Classify one resolved address (strict notation, as a resolver returns it). */
export function checkOutboundAddress(text: string, allowedPrivate: readonly IpRange[] = []): AddressVerdict {
  const family = isIP(text);
  if (family === 0 || text.includes("%")) return { ok: false, reason: `"${text}" is not a plain IP address` };
  const addr = ipaddr.parse(text);
  const canonical = addr.toString();
  // The IPv4 inside an IPv6 form, for the allowlist and the message.
  const embedded = addr instanceof ipaddr.IPv6 && addr.isIPv4MappedAddress() ? addr.toIPv4Address() : null;
  if (METADATA.has(canonical) || (embedded && METADATA.has(embedded.toString()))) return { ok: false, reason: `${canonical} is a cloud metadata address` };
  if (inRanges(addr, allowedPrivate) || (embedded && inRanges(embedded, allowedPrivate))) return { ok: true, address: text, family: family === 4 ? 4 : 6 };
  const range = addr.range();
  if (range !== "unicast") return { ok: false, reason: `${canonical} is in a non-public range (${range})` };
  // ::a.b.c.d (IPv4-compatible, deprecated): ipaddr.js calls the hex form unicast.
  if (addr instanceof ipaddr.IPv6 && addr.parts.slice(0, 6).every((p) => p === 0)) return { ok: false, reason: `${canonical} is an IPv4-compatible IPv6 address` };
  return { ok: true, address: text, family: family === 4 ? 4 : 6 };
}

export type UrlVerdict = { ok: true; url: URL; host: string } | { ok: false; reason: string };

/**
 * A callback URL as Gatehouse will use it: https (http only with
 * `allowHttp`), no credentials, a host. The WHATWG parser turns decimal,
 * octal and hex IPv4 forms into dotted decimal and refuses IPv6 zone ids, so
 * every literal is checked in one canonical form. `host` is the host name
 * without IPv6 brackets.
 */
export function checkOutboundUrl(raw: string, { allowHttp = false }: { allowHttp?: boolean } = {}): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "The URL is not valid." };
  }
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
    return { ok: false, reason: allowHttp ? "Use an https:// or http:// URL." : "Use an https:// URL." };
  }
  if (url.username || url.password) return { ok: false, reason: "The URL must not contain a user name or password." };
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (!host) return { ok: false, reason: "The URL has no host." };
  return { ok: true, url, host };
}
