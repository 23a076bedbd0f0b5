import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BASE62, KEY_LENGTH, checksumOf, displayPrefix, formatKey, hasValidChecksum } from "./key-format";

const body = fc.string({ unit: fc.constantFrom(...BASE62), minLength: 32, maxLength: 32 });

describe("API key format", () => {
  it("is gat_ + 32 base62 + a 6-character base62 CRC32, and the checksum recognises it offline", () => {
    fc.assert(
      fc.property(body, (b) => {
        const key = formatKey(b);
        expect(key).toMatch(/^gat_[0-9A-Za-z]{38}$/);
        expect(key).toHaveLength(KEY_LENGTH);
        expect(key.slice(4, 36)).toBe(b);
        expect(hasValidChecksum(key)).toBe(true);
        expect(displayPrefix(key)).toBe(b.slice(0, 8));
      }),
    );
  });

  it("rejects any single-character typo (CRC32 catches every one-symbol change)", () => {
    fc.assert(
      fc.property(body, fc.nat({ max: 37 }), fc.constantFrom(...BASE62), (b, at, replacement) => {
        const key = formatKey(b);
        const position = 4 + at;
        fc.pre(key[position] !== replacement);
        const typo = key.slice(0, position) + replacement + key.slice(position + 1);
        expect(hasValidChecksum(typo)).toBe(false);
      }),
    );
  });

  it("rejects other shapes: wrong prefix, length, alphabet, whitespace", () => {
    const key = formatKey("3V9kQ2mP7xW4nR8tL1cY6bH0jF5gD2sA");
    for (const bad of [key.replace("gat_", "gah_"), key.slice(0, -1), `${key}A`, ` ${key}`, `${key}\n`, key.replace("gat_", "GAT_"), key.slice(0, 10) + "-" + key.slice(11), ""]) {
      expect(hasValidChecksum(bad), JSON.stringify(bad)).toBe(false);
    }
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
        const wellFormed = s.length === KEY_LENGTH && /^gat_[0-9A-Za-z]{38}$/.test(s) && s === formatKey(s.slice(4, 36));
        expect(hasValidChecksum(s)).toBe(wellFormed);
      }),
    );
  });

  it("pads small checksums to 6 characters and refuses bodies that are not 32 base62 characters", () => {
    fc.assert(
      fc.property(body, (b) => {
        expect(checksumOf(b)).toMatch(/^[0-9A-Za-z]{6}$/);
      }),
    );
    expect(() => formatKey("short")).toThrow();
    expect(() => formatKey("_".repeat(32))).toThrow();
  });
});
