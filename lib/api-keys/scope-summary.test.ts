import { describe, expect, it } from "vitest";
import { summarizeScopes } from "./scope-summary";

describe("summarizeScopes", () => {
  it("groups verbs by family in catalogue order and names the wildcard", () => {
    expect(summarizeScopes(["monitor:read", "props:write", "props:read"])).toEqual(["Props: read, write", "Monitoring: read"]);
    expect(summarizeScopes(["props:read", "*"])).toEqual(["Full access (*)"]);
    expect(summarizeScopes(["nonsense:read"])).toEqual([]);
  });
});
