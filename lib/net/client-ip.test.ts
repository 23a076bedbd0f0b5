import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { ipInRanges, normalizeIp, parseIpRange, rateLimitNetwork, resolveClientIp, type IpRange } from "./client-ip";

function ranges(...entries: string[]): IpRange[] {
  return entries.map((entry) => {
    const parsed = parseIpRange(entry);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.range;
  });
}

// ---- generators (ipaddr.js only formats; the code under test parses) ----

const v4Octets = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const v4 = v4Octets.map((o) => o.join("."));
const v6Parts = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 });
/** The same IPv6 address in the notations people and proxies write. */
const v6Text = (parts: number[], style: number) => {
  const addr = new ipaddr.IPv6(parts);
  return [addr.toString(), addr.toNormalizedString(), parts.map((g) => g.toString(16).padStart(4, "0")).join(":"), addr.toString().toUpperCase()][style % 4];
};
const v6 = fc.tuple(v6Parts, fc.nat(3)).map(([p, s]) => v6Text(p, s));
const port = fc.integer({ min: 1, max: 65535 });
/** An address as a hop: bare, with a port, bracketed, with spaces around. */
const asHop = (ip: string, form: number, p: number) => {
  const v6addr = ip.includes(":");
  switch (form % 4) {
    case 0:
      return ip;
    case 1:
      return v6addr ? `[${ip}]:${p}` : `${ip}:${p}`;
    case 2:
      return v6addr ? `[${ip}]` : ` ${ip} `;
    default:
      return ` ${ip}`;
  }
};
const canonical = (ip: string) => ipaddr.process(ip).toString();

// Proxies live in 10.0.0.0/8, fd00::/8 and on 127.0.0.1; real clients are public addresses outside them.
const TRUSTED = ranges("10.0.0.0/8", "fd00::/8", "127.0.0.1");
const publicV4 = fc
  .tuple(fc.constantFrom(1, 8, 11, 100, 126, 128, 172, 191, 198, 203, 223), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((o) => o.join("."));
const publicV6 = fc.tuple(fc.integer({ min: 0x2000, max: 0x3fff }), v6Parts, fc.nat(3)).map(([g, p, s]) => v6Text([g, ...p.slice(1)], s));
const proxyAddress = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`),
  fc.tuple(fc.nat(0xff), v6Parts).map(([b, p]) => new ipaddr.IPv6([0xfd00 | b, ...p.slice(1)]).toString()),
);
const hopOf = (addr: fc.Arbitrary<string>) => fc.tuple(addr, fc.nat(3), port).map(([a, f, p]) => asHop(a, f, p));
const anyHop = fc.oneof(hopOf(v4), hopOf(v6), hopOf(proxyAddress), fc.string({ maxLength: 20 }).map((s) => s.replaceAll(",", "")));

describe("resolveClientIp", () => {
  it("uses the socket peer when it is not a trusted proxy, ignoring X-Forwarded-For", () => {
    expect(resolveClientIp("198.51.100.4", "1.2.3.4", [])).toBe("198.51.100.4");
    expect(resolveClientIp("198.51.100.4", "1.2.3.4", ranges("127.0.0.1"))).toBe("198.51.100.4");
  });

  it("reads X-Forwarded-For right to left from a trusted proxy", () => {
    expect(resolveClientIp("127.0.0.1", "203.0.113.9", ranges("127.0.0.1"))).toBe("203.0.113.9");
    // A forged leftmost entry is never chosen over the address the proxy appended.
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1", ranges("10.0.0.0/8"))).toBe("203.0.113.9");
  });

  it("strips ports from hops instead of skipping them (review: the attacker's hop won)", () => {
    const proxies = ranges("10.0.0.0/8");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 203.0.113.9:5678", proxies)).toBe("203.0.113.9");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, [2001:db8::1]:443", proxies)).toBe("2001:db8::1");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, [2001:db8::1]", proxies)).toBe("2001:db8::1");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1:80", proxies)).toBe("203.0.113.9");
    // A bare IPv6 address has no port: the last group is part of the address.
    expect(resolveClientIp("10.0.0.2", "2001:db8::1:443", proxies)).toBe("2001:db8::1:443");
  });

  it("falls back to the peer, never to a client-supplied hop", () => {
    const proxies = ranges("127.0.0.1", "10.0.0.0/8");
    // Every hop a trusted proxy: the old code answered with the leftmost one, which the client chose.
    expect(resolveClientIp("127.0.0.1", "10.9.9.9, 10.0.0.1", proxies)).toBe("127.0.0.1");
    // An unparseable hop stops the walk.
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, garbage", proxies)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, unknown, 10.0.0.1", proxies)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, , 10.0.0.1", proxies)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, fe80::1%eth0", proxies)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, 1.2.3", proxies)).toBe("127.0.0.1");
    // Garbage left of the real client does not matter.
    expect(resolveClientIp("127.0.0.1", "garbage, 192.0.2.5", proxies)).toBe("192.0.2.5");
  });

  it("normalises IPv4-mapped IPv6 and IPv6 notation", () => {
    expect(resolveClientIp("::ffff:127.0.0.1", "192.0.2.1", ranges("127.0.0.1"))).toBe("192.0.2.1");
    expect(resolveClientIp("127.0.0.1", "::ffff:192.0.2.1", ranges("127.0.0.1"))).toBe("192.0.2.1");
    expect(resolveClientIp("2001:DB8:0:0:0:0:0:1", null, [])).toBe("2001:db8::1");
    expect(normalizeIp("[2001:db8::1]")).toBeNull();
    expect(normalizeIp(" 2001:0db8::0001 ")).toBe("2001:db8::1");
  });

  it("returns null without a usable peer", () => {
    expect(resolveClientIp(null, "1.2.3.4", ranges("127.0.0.1"))).toBeNull();
    expect(resolveClientIp("", "1.2.3.4", ranges("127.0.0.1"))).toBeNull();
  });

  it("property: attacker hops, then the real client appended by trusted proxies, resolve to the real client", () => {
    fc.assert(
      fc.property(
        fc.array(anyHop, { maxLength: 5 }),
        hopOf(fc.oneof(publicV4, publicV6)),
        fc.array(hopOf(proxyAddress), { maxLength: 3 }),
        fc.oneof(proxyAddress, fc.constantFrom("127.0.0.1", "::ffff:127.0.0.1", "::ffff:10.1.2.3")),
        (forged, client, proxies, peer) => {
          const xff = [...forged, client, ...proxies].join(",");
          const clientIp = client.trim().replace(/^\[/, "").replace(/\](:\d+)?$/, "").replace(/^([\d.]+):\d+$/, "$1");
          expect(resolveClientIp(peer, xff, TRUSTED)).toBe(canonical(clientIp));
        },
      ),
    );
  });

  it("property: a peer that is not a trusted proxy is the client, whatever X-Forwarded-For says", () => {
    fc.assert(
      fc.property(fc.oneof(publicV4, publicV6), fc.array(anyHop, { maxLength: 6 }), (peer, hops) => {
        expect(resolveClientIp(peer, hops.join(","), TRUSTED)).toBe(canonical(peer));
      }),
    );
  });

  it("property: a hop left of an unparseable one is never chosen; the peer is", () => {
    fc.assert(
      fc.property(fc.array(anyHop, { maxLength: 4 }), fc.array(hopOf(proxyAddress), { maxLength: 3 }), proxyAddress, (left, proxies, peer) => {
        const xff = [...left, "not-an-address", ...proxies].join(",");
        expect(resolveClientIp(peer, xff, TRUSTED)).toBe(canonical(peer));
      }),
    );
  });
});

describe("parseIpRange", () => {
  it("accepts addresses and CIDR ranges of both families in canonical form", () => {
    expect(ranges("192.168.1.0/24", "2001:DB8:abcd::/48", "::1", " 127.0.0.1 ", "0.0.0.0/0", "::ffff:10.0.0.0/104", "::ffff:10.0.0.1").map((r) => r.text)).toEqual([
      "192.168.1.0/24",
      "2001:db8:abcd::/48",
      "::1",
      "127.0.0.1",
      "0.0.0.0/0",
      "10.0.0.0/8",
      "10.0.0.1",
    ]);
  });

  it.each([
    ["fd00::/abc", "invalid prefix length"], // trusted all of IPv6 before
    ["10.0.0.0/", "invalid prefix length"], // trusted all of IPv4 before
    ["10.0.0.0/33", "invalid prefix length"], // wrapped before
    ["2001:db8::/129", "invalid prefix length"],
    ["10.0.0.0/-1", "invalid prefix length"],
    ["10.0.0.0/+8", "invalid prefix length"],
    ["10.0.0.0/08", "invalid prefix length"],
    ["10.0.0.0/8/8", "invalid prefix length"],
    ["10.0.0.1/8", "write the network address (10.0.0.0/8)"],
    ["2001:db8::1/32", "write the network address (2001:db8::/32)"],
    ["10.0.0.1:8080", "not an IP address"],
    ["[::1]", "not an IP address"],
    ["fe80::1%eth0", "not an IP address"],
    ["::127.0.0.1", "not an IP address"],
    ["1.2.3", "not an IP address"],
    ["0x7f.0.0.1", "not an IP address"],
    ["010.0.0.1", "not an IP address"],
    ["localhost", "not an IP address"],
    ["/8", "not an IP address"],
  ])("refuses %s", (entry, reason) => {
    const parsed = parseIpRange(entry);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain(reason);
      expect(parsed.reason).toContain(`"${entry}"`);
    }
  });

  it("matches exact addresses and CIDR ranges for both families", () => {
    expect(ipInRanges("192.168.1.77", ranges("192.168.1.0/24"))).toBe(true);
    expect(ipInRanges("192.168.2.1", ranges("192.168.1.0/24"))).toBe(false);
    expect(ipInRanges("2001:db8:abcd:12::1", ranges("2001:db8:abcd::/48"))).toBe(true);
    expect(ipInRanges("2001:db8:abce::1", ranges("2001:db8:abcd::/48"))).toBe(false);
    expect(ipInRanges("::1", ranges("::1"))).toBe(true);
    expect(ipInRanges("10.0.0.1", ranges("::1/128", "::/0"))).toBe(false);
    expect(ipInRanges("::ffff:10.1.2.3", ranges("10.0.0.0/8"))).toBe(true);
    expect(ipInRanges("garbage", ranges("0.0.0.0/0"))).toBe(false);
  });

  /** Independent oracle: the first `prefix` bits of two addresses of one family are equal. */
  const samePrefix = (a: number[], b: number[], prefix: number) => {
    const big = (bytes: number[]) => bytes.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
    const width = BigInt(a.length * 8);
    const shift = width - BigInt(prefix);
    return big(a) >> shift === big(b) >> shift;
  };

  it("property: an accepted range contains exactly the addresses that share its written prefix", () => {
    const family = fc.oneof(
      fc.tuple(v4Octets.map((o) => [...o]), v4Octets.map((o) => [...o]), fc.integer({ min: 0, max: 32 })),
      fc.tuple(v6Parts.map((p) => new ipaddr.IPv6(p).toByteArray()), v6Parts.map((p) => new ipaddr.IPv6(p).toByteArray()), fc.integer({ min: 0, max: 128 })),
    );
    fc.assert(
      fc.property(family, fc.boolean(), ([netBytes, otherBytes, prefix], near) => {
        const net = ipaddr.fromByteArray(netBytes);
        const network = net.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(`${net}/${prefix}`) : ipaddr.IPv6.networkAddressFromCIDR(`${net}/${prefix}`);
        // Half of the probes share a long prefix with the network, so both answers are exercised.
        const probeBytes = near ? [...network.toByteArray().slice(0, Math.floor(prefix / 8)), ...otherBytes.slice(Math.floor(prefix / 8))] : otherBytes;
        const probe = ipaddr.fromByteArray(probeBytes);
        if (probe.kind() === "ipv6" && (probe as ipaddr.IPv6).isIPv4MappedAddress()) return; // mapped probes are IPv4
        if (network.kind() === "ipv6" && (network as ipaddr.IPv6).isIPv4MappedAddress()) return;
        const parsed = parseIpRange(`${network}/${prefix}`);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(ipInRanges(probe.toString(), [parsed.range])).toBe(samePrefix(network.toByteArray(), probe.toByteArray(), prefix));
      }),
    );
  });

  /** Small edits of a valid entry: the typos the review found, and more. */
  const mutated = fc
    .tuple(
      fc.oneof(
        fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`),
        fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`),
      ),
      fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom("/", ":", ".", "0", "9", "a", "x", "-", "%", "[", "]", " ", "f", "3")), { minLength: 1, maxLength: 3 }),
    )
    .map(([text, edits]) => {
      let s = text;
      for (const [at, op, ch] of edits) {
        const i = at % (s.length + 1);
        s = op === 0 ? s.slice(0, i) + ch + s.slice(i) : op === 1 ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + ch + s.slice(i + 1);
      }
      return s;
    });

  it("property: a malformed entry never widens trust (accepted means exactly the written address and prefix)", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string({ maxLength: 50 })), (entry) => {
        const parsed = parseIpRange(entry);
        if (!parsed.ok) return;
        const text = entry.trim();
        const [addressText, prefixText, ...rest] = text.split("/");
        expect(rest).toEqual([]);
        const written = ipaddr.parse(addressText);
        const mappedShift = written.kind() === "ipv6" && (written as ipaddr.IPv6).isIPv4MappedAddress() ? 96 : 0;
        const writtenPrefix = prefixText === undefined ? (written.kind() === "ipv4" ? 32 : 128) : Number(prefixText);
        expect(prefixText === undefined || String(writtenPrefix) === prefixText).toBe(true);
        expect(parsed.range.prefix).toBe(writtenPrefix - (mappedShift && writtenPrefix >= 96 ? 96 : 0));
        expect(parsed.range.address.toString()).toBe(ipaddr.process(addressText).toString());
      }),
      { numRuns: 2000 },
    );
  });
});

describe("rateLimitNetwork", () => {
  it("keys IPv4 by address, IPv6 by /64, and everything else as unknown", () => {
    expect(rateLimitNetwork("203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitNetwork("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(rateLimitNetwork("::ffff:cb00:7107")).toBe("203.0.113.7");
    expect(rateLimitNetwork("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(rateLimitNetwork("2001:0DB8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(rateLimitNetwork("2001:db8::1")).toBe("2001:db8::/64");
    expect(rateLimitNetwork("::1")).toBe("::/64");
    expect(rateLimitNetwork(null)).toBe("unknown");
    expect(rateLimitNetwork("")).toBe("unknown");
    expect(rateLimitNetwork("not an ip")).toBe("unknown");
    expect(rateLimitNetwork("1.2.3")).toBe("unknown");
  });

  const prefix64 = fc.array(fc.nat(0xffff), { minLength: 4, maxLength: 4 }).filter((p) => !(p[0] === 0 && p[1] === 0 && p[2] === 0 && p[3] === 0));
  const low64 = fc.array(fc.nat(0xffff), { minLength: 4, maxLength: 4 });

  it("property: every address of one /64 has the same key, in any notation", () => {
    fc.assert(
      fc.property(prefix64, low64, low64, fc.nat(3), fc.nat(3), (high, a, b, sa, sb) => {
        const key = rateLimitNetwork(v6Text([...high, ...a], sa));
        expect(key).toBe(rateLimitNetwork(v6Text([...high, ...b], sb)));
        expect(key).toMatch(/\/64$/);
      }),
    );
  });

  it("property: addresses in different /64s have different keys", () => {
    fc.assert(
      fc.property(prefix64, prefix64, low64, low64, (h1, h2, a, b) => {
        fc.pre(h1.some((g, i) => g !== h2[i]));
        expect(rateLimitNetwork(v6Text([...h1, ...a], 0))).not.toBe(rateLimitNetwork(v6Text([...h2, ...b], 0)));
      }),
    );
  });

  it("property: IPv4-mapped forms have the IPv4 key, distinct from every IPv6 key", () => {
    fc.assert(
      fc.property(v4Octets, (o) => {
        const dotted = o.join(".");
        const mapped = ipaddr.IPv4.parse(dotted).toIPv4MappedAddress();
        for (const form of [`::ffff:${dotted}`, `::FFFF:${dotted}`, `0:0:0:0:0:ffff:${dotted}`, mapped.toString(), mapped.toNormalizedString()]) {
          expect(rateLimitNetwork(form)).toBe(dotted);
        }
        expect(rateLimitNetwork(dotted)).not.toMatch(/\//);
      }),
    );
  });
});
