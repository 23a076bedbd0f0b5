import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ALL_SCOPES } from "@/lib/api-keys/scopes";
import { API_ERROR_STATUS } from "./api-error";

const readme = readFileSync(path.resolve(__dirname, "../../../README.md"), "utf8");
const section = readme.slice(readme.indexOf("## REST API"), readme.indexOf("## Operations"));

describe("the README's REST API reference", () => {
  it("lists every error code with its HTTP status", () => {
    for (const [code, status] of Object.entries(API_ERROR_STATUS)) expect(section).toContain(`| \`${code}\` | ${status} |`);
  });

  it("lists every scope of the catalogue", () => {
    for (const scope of ALL_SCOPES) expect(section).toContain(`\`${scope}\``);
  });
});
