import "server-only";
import { getConfig } from "@/lib/server/config";
import { getDb } from "@/lib/server/db/client";
import { issueSetupToken } from "./setup-token";

/**
 * At server start with no owner yet: print a ready-to-open setup link that
 * carries a fresh one-time token, prominently, on the server output. Whoever
 * reaches the port first cannot claim the installation without it (the same
 * guard Jenkins and GitLab put on their first run).
 */
export async function announceSetupLink(): Promise<void> {
  try {
    const token = await issueSetupToken(getDb());
    if (!token) return;
    const link = `${getConfig().publicUrl}/setup?token=${token}`;
    const rule = "=".repeat(Math.max(60, link.length + 4));
    console.log(["", rule, "  Gatehouse has no owner yet. Open this link to create the first owner account:", "", `  ${link}`, "", "  The link works once and for 24 hours; restarting the server prints a new one.", rule, ""].join("\n"));
  } catch (error) {
    console.error("[gatehouse] could not prepare the first-run setup link:", error instanceof Error ? error.message : error);
  }
}
