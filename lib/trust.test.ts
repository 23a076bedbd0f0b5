import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { contextChangeReason, ipNetwork } from "./trust";

const CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
const CHROME_LINUX_NEWER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

describe("ipNetwork", () => {
  it("groups IPv4 by /24 and IPv6 by /48", () => {
    expect(ipNetwork("203.0.113.7")).toBe("203.0.113.0/24");
    expect(ipNetwork("::ffff:203.0.113.200")).toBe("203.0.113.0/24");
    expect(ipNetwork("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(ipNetwork("2001:db8:abcd::")).toBe("2001:db8:abcd::/48");
    expect(ipNetwork("nonsense")).toBeNull();
  });

  it("writes each network one way, whatever the address's notation", () => {
    expect(ipNetwork("2001:0DB8:ABCD:0012:0000:0000:0000:0001")).toBe("2001:db8:abcd::/48");
    expect(ipNetwork("2001:0:0:1::5")).toBe("2001::/48");
    expect(ipNetwork("2001::1:0:0:0:5")).toBe("2001::/48");
    expect(ipNetwork("::ffff:cb00:71c8")).toBe("203.0.113.0/24");
    expect(ipNetwork(null)).toBeNull();
  });

  it("property: two addresses share a network exactly when their first 24 (IPv4) or 48 (IPv6) bits match", () => {
    const bits = (bytes: number[]) => bytes.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
    const nearby = (width: number) =>
      fc.tuple(fc.array(fc.nat(255), { minLength: width, maxLength: width }), fc.array(fc.nat(255), { minLength: width, maxLength: width }), fc.nat(width)).map(
        // The second address copies a random number of leading bytes from the first, so equal and unequal networks both occur.
        ([a, b, keep]) => [a, [...a.slice(0, keep), ...b.slice(keep)]] as const,
      );
    fc.assert(
      fc.property(fc.oneof(nearby(4), nearby(16)), ([a, b]) => {
        const x = ipaddr.fromByteArray([...a]);
        const y = ipaddr.fromByteArray([...b]);
        const mapped = (ip: typeof x) => ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress();
        fc.pre(!mapped(x) && !mapped(y));
        const shift = BigInt(a.length * 8 - (a.length === 4 ? 24 : 48));
        const same = bits([...a]) >> shift === bits([...b]) >> shift;
        expect(ipNetwork(x.toString()) === ipNetwork(y.toString())).toBe(same);
        expect(ipNetwork(x.toString())).not.toBeNull();
      }),
    );
  });
});

describe("contextChangeReason", () => {
  const base = { ip: "203.0.113.7", userAgent: CHROME_LINUX };

  it("keeps trust inside the same network and browser family (version updates included)", () => {
    expect(contextChangeReason(base, { ip: "203.0.113.99", userAgent: CHROME_LINUX_NEWER })).toBeNull();
    expect(contextChangeReason({ ip: "2001:db8:abcd:1::5", userAgent: null }, { ip: "2001:db8:abcd:ffff::9", userAgent: null })).toBeNull();
  });

  it("drops trust when the IP leaves its /24 or /48", () => {
    expect(contextChangeReason(base, { ip: "203.0.114.7", userAgent: CHROME_LINUX })).toMatch(/another network/);
    expect(contextChangeReason({ ip: "2001:db8:abcd::1", userAgent: null }, { ip: "2001:db8:abce::1", userAgent: null })).toMatch(/another network/);
    expect(contextChangeReason(base, { ip: "2001:db8::1", userAgent: CHROME_LINUX })).toMatch(/another network/);
  });

  it("drops trust when the browser or OS family changes", () => {
    expect(contextChangeReason(base, { ip: base.ip, userAgent: FIREFOX_LINUX })).toBe("The browser changed from Chrome to Firefox");
    expect(contextChangeReason(base, { ip: base.ip, userAgent: CHROME_WINDOWS })).toBe("The operating system changed from Linux to Windows");
  });

  it("does not treat missing information as a change", () => {
    expect(contextChangeReason({ ip: null, userAgent: null }, base)).toBeNull();
  });
});
