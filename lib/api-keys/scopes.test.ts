import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ROLES, type Role } from "@/lib/permissions";
import { ALL_SCOPES, SCOPE_FAMILIES, SCOPE_PRESETS, WILDCARD, keyMayUse, roleAllowsScope, scopesForRole, scopesGrant } from "./scopes";

const scope = fc.constantFrom(...ALL_SCOPES.filter((s) => s !== WILDCARD));
const role = fc.constantFrom(...(ROLES as readonly Role[]));

describe("scope implication", () => {
  it("the wildcard grants everything; manage grants its family; write and delete include read; nothing crosses families", () => {
    expect(scopesGrant([WILDCARD], "secrets:manage")).toBe(true);
    expect(scopesGrant(["marquees:manage"], "marquees:delete")).toBe(true);
    expect(scopesGrant(["props:write"], "props:read")).toBe(true);
    expect(scopesGrant(["props:delete"], "props:read")).toBe(true);
    expect(scopesGrant(["props:read"], "props:write")).toBe(false);
    expect(scopesGrant(["props:write"], "props:delete")).toBe(false);
    expect(scopesGrant(["props:write"], "playspecs:read")).toBe(false);
    expect(scopesGrant([], "props:read")).toBe(false);
    fc.assert(
      fc.property(scope, scope, (held, required) => {
        if (held.split(":")[0] !== required.split(":")[0]) expect(scopesGrant([held], required)).toBe(false);
      }),
    );
  });

  it("does not read made-up scopes as real ones", () => {
    for (const bogus of ["props", "props:", ":read", "props:read:extra", "props:*", "*:read", "PROPS:READ", "props:manage"]) {
      expect(scopesGrant([bogus], "props:read"), bogus).toBe(false);
    }
  });
});

describe("the role matrix", () => {
  it("owners and admins may hold every scope, the wildcard included", () => {
    for (const r of ["owner", "admin"] as const) expect(scopesForRole(r)).toEqual([...ALL_SCOPES]);
  });

  it("members: platform families without manage, read of admin families except keys; never the wildcard", () => {
    expect(roleAllowsScope("member", WILDCARD)).toBe(false);
    expect(roleAllowsScope("member", "props:delete")).toBe(true);
    expect(roleAllowsScope("member", "marquees:manage")).toBe(false);
    expect(roleAllowsScope("member", "webhooks:read")).toBe(true);
    expect(roleAllowsScope("member", "webhooks:write")).toBe(false);
    expect(roleAllowsScope("member", "keys:manage")).toBe(false);
  });

  it("auditors: read only, and never secret values", () => {
    for (const s of scopesForRole("auditor")) expect(s.endsWith(":read")).toBe(true);
    expect(roleAllowsScope("auditor", "secrets:read")).toBe(false);
    expect(roleAllowsScope("auditor", "props:read")).toBe(true);
  });

  it("audit:read follows the console's audit.read: owners, admins and auditors, never members", () => {
    expect(roleAllowsScope("owner", "audit:read")).toBe(true);
    expect(roleAllowsScope("admin", "audit:read")).toBe(true);
    expect(roleAllowsScope("auditor", "audit:read")).toBe(true);
    expect(roleAllowsScope("member", "audit:read")).toBe(false);
    expect(scopesForRole("member")).not.toContain("audit:read");
    // A wildcard key of an owner demoted to member loses the audit log at once.
    expect(keyMayUse([WILDCARD], "member", "audit:read")).toBe(false);
  });

  it("the effective permission is the key's scopes intersected with the owner's current role", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ALL_SCOPES), { maxLength: 6 }), fc.option(role, { nil: null }), scope, (held, ownerRole, required) => {
        const expected = ownerRole !== null && scopesGrant(held, required) && roleAllowsScope(ownerRole, required);
        expect(keyMayUse(held, ownerRole, required)).toBe(expected);
      }),
    );
    // A wildcard key of an owner who became an auditor can only read, and a removed owner's key nothing.
    expect(keyMayUse([WILDCARD], "auditor", "props:write")).toBe(false);
    expect(keyMayUse([WILDCARD], "auditor", "props:read")).toBe(true);
    expect(keyMayUse([WILDCARD], null, "props:read")).toBe(false);
  });

  it("presets are real scopes, read-only is reads only and leaves secret values out", () => {
    for (const preset of Object.values(SCOPE_PRESETS)) for (const s of preset) expect(ALL_SCOPES).toContain(s);
    expect(SCOPE_PRESETS["read-only"].every((s) => s.endsWith(":read"))).toBe(true);
    expect(SCOPE_PRESETS["read-only"]).not.toContain("secrets:read");
    expect(SCOPE_FAMILIES.length).toBeGreaterThan(10);
  });
});
