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
