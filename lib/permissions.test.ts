import { describe, expect, it } from "vitest";
import { assignableRoles, can, canManageMember, PERMISSIONS } from "./permissions";

describe("permissions", () => {
  it("lets only owners manage owners", () => {
    expect(canManageMember("owner", "owner")).toBe(true);
    expect(canManageMember("admin", "owner")).toBe(false);
    expect(canManageMember("admin", "member")).toBe(true);
    expect(assignableRoles("admin")).not.toContain("owner");
  });

  it("gives members and auditors no management rights", () => {
    for (const role of ["member", "auditor"] as const) {
      expect(can(role, "members.manage")).toBe(false);
      expect(can(role, "members.invite")).toBe(false);
      expect(assignableRoles(role)).toEqual([]);
    }
  });

  it("lets auditors read the audit log but members not", () => {
    expect(can("auditor", "audit.read")).toBe(true);
    expect(can("member", "audit.read")).toBe(false);
  });

  it("grants owners every permission", () => {
    for (const p of PERMISSIONS) expect(can("owner", p)).toBe(true);
    expect(can("admin", "members.manage_owners")).toBe(false);
  });

  it("lets every role read platform resources and all but auditors change them", () => {
    for (const role of ["owner", "admin", "member", "auditor"] as const) expect(can(role, "resources.read")).toBe(true);
    for (const role of ["owner", "admin", "member"] as const) expect(can(role, "resources.write")).toBe(true);
    expect(can("auditor", "resources.write")).toBe(false);
  });
});
