import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseSecretReferences, substituteSecrets } from "./secret-references";

const resolve = (value: string, secrets: Record<string, string>) => {
  const parsed = parseSecretReferences(value);
  if (!parsed.ok) return parsed;
  return substituteSecrets(parsed.parts, (name) => (Object.hasOwn(secrets, name) ? secrets[name] : undefined));
};

describe("{{secrets.NAME}} references", () => {
  it("substitutes references, with spaces inside the braces, and lists the names once", () => {
    const parsed = parseSecretReferences("postgres://app:{{secrets.DB_PASSWORD}}@db/{{ secrets.DB_NAME }}?x={{secrets.DB_PASSWORD}}");
    expect(parsed.ok && parsed.names).toEqual(["DB_PASSWORD", "DB_NAME"]);
    expect(resolve("postgres://app:{{secrets.DB_PASSWORD}}@db/{{ secrets.DB_NAME }}", { DB_PASSWORD: "pw", DB_NAME: "main" })).toEqual({ ok: true, value: "postgres://app:pw@db/main" });
  });

  it("keeps escaped braces literal", () => {
    expect(resolve("\\{{secrets.X}} and {{secrets.X}}", { X: "1" })).toEqual({ ok: true, value: "{{secrets.X}} and 1" });
    expect(resolve("a \\{{ b", {})).toEqual({ ok: true, value: "a {{ b" });
  });

  it("names unknown secrets instead of producing a value", () => {
    expect(resolve("{{secrets.A}}{{secrets.MISSING}}{{secrets.MISSING}}", { A: "a" })).toEqual({ ok: false, missing: ["MISSING"] });
  });

  it("refuses anything else in double braces, and unclosed braces", () => {
    for (const bad of ["{{env.HOME}}", "{{secrets.}}", "{{secrets.9X}}", "{{ secrets.A.B }}", "{{secrets.A", "x {{", "{{{{secrets.A}}}}"]) {
      const parsed = parseSecretReferences(bad);
      expect(parsed.ok, bad).toBe(false);
    }
  });

  it("never expands a reference inside a secret's value (no recursion)", () => {
    expect(resolve("{{secrets.OUTER}}", { OUTER: "{{secrets.INNER}}", INNER: "leaked" })).toEqual({ ok: true, value: "{{secrets.INNER}}" });
    expect(resolve("{{secrets.SELF}}", { SELF: "{{secrets.SELF}}" })).toEqual({ ok: true, value: "{{secrets.SELF}}" });
  });

  it("passes any text without braces through unchanged (property)", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes("{{")), (text) => {
        expect(resolve(text, {})).toEqual({ ok: true, value: text.replaceAll("\\{{", "{{") });
      }),
    );
  });
});
