import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditEventTitle, auditOutcomeLabel, humanizeAuditAction } from "./audit-labels";

const root = path.resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Every `resource.verb` literal written as an audit action (`action: "x.y"`, including `action: cond ? "a.b" : "c.d"`). */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of [...sourceFiles(path.join(root, "lib/server")), ...sourceFiles(path.join(root, "app"))]) {
    for (const [, expr] of readFileSync(file, "utf8").matchAll(/\baction:\s*([^,\n]+)/g)) {
      for (const [, code] of expr.matchAll(/"([a-z0-9_]+\.[a-z0-9_]+)"/g)) found.add(code);
    }
  }
  return found;
}

describe("audit labels", () => {
  it("name every action the server records today", () => {
    const actions = recordedActions();
    expect(actions.size).toBeGreaterThan(15);
    expect([...actions].filter((a) => !(a in AUDIT_ACTION_LABELS))).toEqual([]);
  });

  it("read as people speak", () => {
    expect(auditActionLabel("user.sign_in")).toBe("Signed in");
    expect(auditActionLabel("security_key.registered")).toBe("Security key added");
  });

  it("never call a failed or denied attempt a success", () => {
    expect(auditEventTitle("user.sign_in", "success")).toBe("Signed in");
    expect(auditEventTitle("user.sign_in", "failure")).toBe("Sign-in failed");
    expect(auditEventTitle("user.sign_in", "denied")).toBe("Sign-in refused");
    expect(auditEventTitle("user.verification_failed", "failure")).toBe("Verification failed");
    for (const action of Object.keys(AUDIT_ACTION_LABELS)) {
      expect(auditEventTitle(action, "failure")).toMatch(/ failed$/);
      expect(auditEventTitle(action, "denied")).toMatch(/ refused$/);
    }
  });

  it("give unknown actions a readable fallback", () => {
    expect(humanizeAuditAction("prop.created")).toBe("Prop created");
    expect(humanizeAuditAction("api_key.revoked")).toBe("API key revoked");
    expect(humanizeAuditAction("webhook.disabled")).toBe("Webhook disabled");
    expect(humanizeAuditAction("")).toBe("Unknown action");
    expect(auditActionLabel("marquee.deleted")).toBe("Marquee deleted");
    expect(auditEventTitle("prop.created", "failure")).toBe("Prop created (failed)");
  });

  it("name outcomes", () => {
    expect(auditOutcomeLabel("success")).toBe("Succeeded");
    expect(auditOutcomeLabel("failure")).toBe("Failed");
    expect(auditOutcomeLabel("denied")).toBe("Denied");
    expect(auditOutcomeLabel("rate_limited")).toBe("Rate limited");
    expect(auditOutcomeLabel("")).toBe("Unknown");
  });
});
