import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM helper without type declarations
import { DERIVED, SOURCE, derivePostgresSchema } from "./db-schema.mjs";

const source = readFileSync(SOURCE, "utf8");
const derived = readFileSync(DERIVED, "utf8");

describe("one model, two providers", () => {
  it("the committed PostgreSQL schema is exactly the one derived from prisma/schema.prisma", () => {
    expect(derived).toBe(derivePostgresSchema(source));
  });

  it("differs from the source only in provider and client output", () => {
    const body = (text: string) => text.replace(/^\/\/.*\n/gm, "").replace(/provider = "\w+"\n}/, "").replace(/output\s*=\s*"[^"]+"/, "");
    expect(body(derivePostgresSchema(source))).toBe(body(source));
  });

  it("catches a schema edit made to one provider only (the drift check's rule)", () => {
    // An edit to the derived file alone, e.g. a new column, no longer matches the derivation.
    const editedDerived = derived.replace("model User {\n", "model User {\n  nickname String?\n");
    expect(editedDerived).not.toBe(derivePostgresSchema(source));
    // An edit to the source alone leaves the committed derived file stale.
    const editedSource = source.replace("model User {\n", "model User {\n  nickname String?\n");
    expect(derived).not.toBe(derivePostgresSchema(editedSource));
  });

  it("refuses a source with provider-specific native types instead of guessing", () => {
    expect(() => derivePostgresSchema(source.replace("email             String       @unique", "email             String       @unique @db.VarChar(200)"))).toThrow(/native type/);
  });
});
