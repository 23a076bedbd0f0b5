import { describe, expect, it } from "vitest";
import { ipMatches, normalizeIp, resolveClientIp } from "./client-ip";

describe("resolveClientIp", () => {
  it("uses the socket peer when it is not a trusted proxy, ignoring X-Forwarded-For", () => {
    expect(resolveClientIp("198.51.100.4", "1.2.3.4", [])).toBe("198.51.100.4");
    expect(resolveClientIp("198.51.100.4", "1.2.3.4", ["127.0.0.1"])).toBe("198.51.100.4");
  });

  it("reads X-Forwarded-For right to left from a trusted proxy", () => {
    expect(resolveClientIp("127.0.0.1", "203.0.113.9", ["127.0.0.1"])).toBe("203.0.113.9");
    // A forged leftmost entry is never chosen over the address the proxy appended.
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1", ["10.0.0.0/8"])).toBe("203.0.113.9");
  });

  it("normalises IPv4-mapped IPv6 peers", () => {
    expect(resolveClientIp("::ffff:127.0.0.1", "192.0.2.1", ["127.0.0.1"])).toBe("192.0.2.1");
    expect(normalizeIp("[2001:DB8::1]")).toBe("2001:db8::1");
  });

  it("ignores garbage in X-Forwarded-For", () => {
    expect(resolveClientIp("127.0.0.1", "not-an-ip, 192.0.2.5", ["127.0.0.1"])).toBe("192.0.2.5");
    expect(resolveClientIp("127.0.0.1", "garbage", ["127.0.0.1"])).toBe("127.0.0.1");
  });

  it("returns null without a peer", () => {
    expect(resolveClientIp(null, "1.2.3.4", ["127.0.0.1"])).toBeNull();
  });
});

describe("ipMatches", () => {
  it("matches exact addresses and CIDR ranges for both families", () => {
    expect(ipMatches("192.168.1.77", "192.168.1.0/24")).toBe(true);
    expect(ipMatches("192.168.2.1", "192.168.1.0/24")).toBe(false);
    expect(ipMatches("2001:db8:abcd:12::1", "2001:db8:abcd::/48")).toBe(true);
    expect(ipMatches("2001:db8:abce::1", "2001:db8:abcd::/48")).toBe(false);
    expect(ipMatches("::1", "::1")).toBe(true);
    expect(ipMatches("10.0.0.1", "::1/128")).toBe(false);
  });
});
