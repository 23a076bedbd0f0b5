import { describe, expect, it } from "vitest";
import { parseIpRange, type IpRange } from "./client-ip";
import { checkOutboundAddress, checkOutboundUrl } from "./outbound-address";

const range = (text: string): IpRange => {
  const r = parseIpRange(text);
  if (!r.ok) throw new Error(r.reason);
  return r.range;
};

describe("checkOutboundAddress", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.1.1", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["0.1.2.3", "unspecified"],
    ["192.0.2.1", "reserved"],
    ["198.51.100.1", "reserved"],
    ["203.0.113.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["240.0.0.1", "reserved"],
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fe80::1", "linkLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["::ffff:127.0.0.1", "ipv4Mapped"],
    ["::ffff:8.8.8.8", "ipv4Mapped"],
    ["64:ff9b::a00:1", "rfc6052"],
    ["2002:a00:1::1", "6to4"],
    ["2001::1", "teredo"],
  ])("refuses %s (%s)", (address, name) => {
    const verdict = checkOutboundAddress(address);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain(name);
  });

  it("refuses IPv4-compatible IPv6 and zone ids, and metadata addresses even when allowlisted", () => {
    expect(checkOutboundAddress("::7f00:1")).toMatchObject({ ok: false, reason: expect.stringContaining("IPv4-compatible") });
    expect(checkOutboundAddress("::808:808")).toMatchObject({ ok: false });
    expect(checkOutboundAddress("fe80::1%eth0")).toMatchObject({ ok: false });
    expect(checkOutboundAddress("169.254.169.254", [range("169.254.0.0/16")])).toMatchObject({ ok: false, reason: expect.stringContaining("metadata") });
    expect(checkOutboundAddress("168.63.129.16")).toMatchObject({ ok: false, reason: expect.stringContaining("metadata") });
    expect(checkOutboundAddress("fd00:ec2::254", [range("fd00::/8")])).toMatchObject({ ok: false, reason: expect.stringContaining("metadata") });
  });

  it("allows public unicast, and a private target only inside the allowlist", () => {
    expect(checkOutboundAddress("93.184.216.34")).toMatchObject({ ok: true, family: 4 });
    expect(checkOutboundAddress("2606:4700::6810:85e5")).toMatchObject({ ok: true, family: 6 });
    expect(checkOutboundAddress("10.0.0.5", [range("10.0.0.0/24")])).toMatchObject({ ok: true });
    expect(checkOutboundAddress("10.0.1.5", [range("10.0.0.0/24")])).toMatchObject({ ok: false });
    expect(checkOutboundAddress("::ffff:10.0.0.5", [range("10.0.0.0/24")])).toMatchObject({ ok: true });
  });
});

describe("checkOutboundUrl", () => {
  it("wants https unless http is allowed, and refuses credentials and garbage", () => {
    expect(checkOutboundUrl("https://hooks.example.com/x")).toMatchObject({ ok: true, host: "hooks.example.com" });
    expect(checkOutboundUrl("http://hooks.example.com/x")).toMatchObject({ ok: false, reason: "Use an https:// URL." });
    expect(checkOutboundUrl("http://hooks.example.com/x", { allowHttp: true })).toMatchObject({ ok: true });
    expect(checkOutboundUrl("ftp://hooks.example.com/x", { allowHttp: true })).toMatchObject({ ok: false });
    expect(checkOutboundUrl("https://user:pw@hooks.example.com/")).toMatchObject({ ok: false });
    expect(checkOutboundUrl("not a url")).toMatchObject({ ok: false });
    expect(checkOutboundUrl("https://[fe80::1%25eth0]/")).toMatchObject({ ok: false });
  });

  it("normalises decimal, octal and hex IPv4 hosts so they are checked as the address they mean", () => {
    for (const raw of ["https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/", "https://127.1/", "https://0x7f.0.0.1/"]) {
      expect(checkOutboundUrl(raw)).toMatchObject({ ok: true, host: "127.0.0.1" });
    }
    expect(checkOutboundUrl("https://[::ffff:7f00:1]/")).toMatchObject({ ok: true, host: "::ffff:7f00:1" });
  });
});
