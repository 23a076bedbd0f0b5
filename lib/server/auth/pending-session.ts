import "server-only";
import { redirect } from "next/navigation";
import { getCurrentSession } from "./current-session";
import type { SessionContext } from "@/lib/server/sessions/load-session";

/** A session that passed the password but still owes its second factor; anything else is sent on. */
export async function requirePendingSession(): Promise<SessionContext> {
  const ctx = await getCurrentSession();
  if (!ctx) redirect("/sign-in");
  if (ctx.session.trustState !== "pending_second_factor") redirect("/overview");
  return ctx;
}
