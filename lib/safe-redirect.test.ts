import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_REDIRECT, MAX_REDIRECT_LENGTH, safeRedirectPath } from "./safe-redirect";

const BASE = "https://gatehouse.example.com";
const base = new URL(BASE);
const safe = (value: unknown, fallback?: string) => safeRedirectPath(value, BASE, fallback);

describe("safeRedirectPath: same-origin paths are kept", () => {
  it.each([
    ["/overview", "/overview"],
    ["/members?tab=invitations#pending", "/members?tab=invitations#pending"],
    ["/invite/abc-DEF_123", "/invite/abc-DEF_123"],
    [`${BASE}/audit?q=1`, "/audit?q=1"],
    ["/a/../sessions", "/sessions"],
    // Percent-encoded characters stay encoded: the browser does not decode them into a host.
    ["/%09/evil.example", "/%09/evil.example"],
    ["/%2509/evil.example", "/%2509/evil.example"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    // `@` after the first slash is a path character, not userinfo.
    ["/@evil.example", "/@evil.example"],
    ["/sessions?next=//evil.example", "/sessions?next=//evil.example"],
    // Unicode is percent-encoded on the way through.
    ["/überblick", "/%C3%BCberblick"],
    ["/members#ü", "/members#%C3%BC"],
    ["/audit?q=100%", "/audit?q=100%"],
    // Other control characters inside the path are percent-encoded, not removed.
    ["/\u0000/evil.example", "/%00/evil.example"],
    ["/\u007F/evil.example", "/%7F/evil.example"],
    // A scheme equal to the base's without slashes is a relative reference.
    ["https:evil.example", "/evil.example"],
  ])("%j -> %j", (input, expected) => {
    expect(safe(input)).toBe(expected);
  });
});

describe("safeRedirectPath: everything else falls back", () => {
  it.each([
    // Tab, CR, LF are removed by URL parsing, turning "/\t/" into "//" (the review's finding).
    "/\t/evil.example",
    "/\r/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\u0000//evil.example",
    // Scheme-relative and backslash variants.
    "//evil.example",
    "///evil.example",
    "////evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "/\t\\evil.example",
    // Same-origin pathnames that would read as a host once sent on their own.
    "/.//evil.example",
    "/a/..//evil.example",
    "/invite/../..//evil.example",
    // Absolute URLs to other hosts, ports and schemes.
    "https://evil.example/",
    "http://gatehouse.example.com/overview",
    "https://gatehouse.example.com:8443/overview",
    "https://gatehouse.example.com.evil.example/",
    "https:\\\\evil.example",
    "HTTPS://EVIL.EXAMPLE",
    // Userinfo tricks.
    "//user@evil.example",
    "//gatehouse.example.com@evil.example",
    "https://gatehouse.example.com@evil.example/",
    "https://user:pass@evil.example/",
    // Non-navigating and script schemes.
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "\u0001javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:someone@evil.example",
    "blob:https://evil.example/x",
    // Percent-encoding that does not decode (proxy.ts would answer 400 for the path).
    "/overview%",
    "/%E0%A4%A",
    "/members%ZZ",
    // Malformed and oversized input.
    "",
    "http://[::1",
    "https://",
    `/${"a".repeat(MAX_REDIRECT_LENGTH)}`,
    `//evil.example/${"a".repeat(100_000)}`,
  ])("%j falls back", (input) => {
    expect(safe(input)).toBe(DEFAULT_REDIRECT);
  });

  it("falls back for values that are not one string", () => {
    for (const value of [undefined, null, 1, ["/members"], { href: "/members" }]) expect(safe(value)).toBe(DEFAULT_REDIRECT);
  });

  it("uses the caller's fallback and refuses an unusable base", () => {
    expect(safe("//evil.example", "/sign-in")).toBe("/sign-in");
    expect(safeRedirectPath("/members", "not a url")).toBe(DEFAULT_REDIRECT);
    expect(safeRedirectPath("/members", "data:text/plain,x")).toBe(DEFAULT_REDIRECT);
  });

  it("works against a base with a path or a port", () => {
    expect(safeRedirectPath("/members", "http://localhost:3000/ignored/path")).toBe("/members");
    expect(safeRedirectPath("http://localhost:3001/members", "http://localhost:3000")).toBe(DEFAULT_REDIRECT);
  });
});

// A hostile path is a mix of the pieces browsers and URL parsers treat specially.
const piece = fc.oneof(
  fc.constantFrom(
    "/", "//", "\\", "/\\", "\\/", ".", "..", "./", "../", "@", ":", "?", "#", "%", ";", " ",
    "%2f", "%2F", "%5c", "%5C", "%09", "%0a", "%0d", "%00", "%2509", "%252f", "%25", "%E0%A4%A",
    "evil.example", "gatehouse.example.com", "gatehouse.example.com:443", "127.0.0.1", "[::1]", "user:pass@",
    "javascript:", "data:", "vbscript:", "http:", "https:", "HTTP://", "file:", "blob:", "mailto:",
    "\u2215", "\uFF0F", "\uFE68", "\u3002", "\u200B", "\uFEFF", "\u202E",
  ),
  // Every C0 control character and DEL.
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constant("\u007F"),
  // Percent-encodings of arbitrary bytes, single and double.
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, "0")}`),
  fc.integer({ min: 0, max: 255 }).map((b) => `%25${b.toString(16).padStart(2, "0")}`),
  // Any unicode, including lone surrogates.
  fc.string({ unit: "binary", maxLength: 3 }),
  fc.string({ maxLength: 6 }),
);
const hostilePath = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));

function assertSafe(output: string, against: URL, fallback: string) {
  if (output === fallback) return;
  expect(output.startsWith("/")).toBe(true);
  expect(output.startsWith("//")).toBe(false);
  expect(output.startsWith("/\\")).toBe(false);
  expect(/[\u0000-\u001F\u007F]/.test(output)).toBe(false);
  expect(new URL(output, against).origin).toBe(against.origin);
  expect(() => decodeURIComponent(new URL(output, against).pathname)).not.toThrow();
  // What the browser does with it: the same parser, relative to the page it is on.
  expect(new URL(output, `${against.origin}/sign-in?x=1`).origin).toBe(against.origin);
}

describe("safeRedirectPath: property", () => {
  it("returns the fallback or a single-slash, control-free, same-origin path for any hostile input", () => {
    fc.assert(
      fc.property(hostilePath, (value) => {
        assertSafe(safe(value), base, DEFAULT_REDIRECT);
      }),
      { numRuns: 2000 },
    );
  });

  it("holds for hostile input prefixed with a slash or the origin, against other bases and fallbacks", () => {
    const bases = fc.constantFrom("http://localhost:3000", "https://gatehouse.example.com", "http://127.0.0.1:41234");
    const prefix = fc.constantFrom("", "/", "\\", "//", BASE, "http://localhost:3000");
    fc.assert(
      fc.property(bases, prefix, hostilePath, (b, p, rest) => {
        const output = safeRedirectPath(p + rest, b, "/sign-in");
        assertSafe(output, new URL(b), "/sign-in");
      }),
      { numRuns: 2000 },
    );
  });

  it("is idempotent: a returned path is returned unchanged", () => {
    fc.assert(
      fc.property(hostilePath, (value) => {
        const once = safe(value);
        expect(safe(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
