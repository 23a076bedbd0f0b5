import { cookies } from "next/headers";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { ROLE_LABELS } from "@/lib/permissions";
import { ConsoleShell } from "@/components/shell/console-shell";
import { sudoMethods } from "@/lib/factor-methods";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // The enrolment page is part of the console; every other page redirects to it itself.
  const ctx = await requireOrgSession({ allowUnenrolled: true });
  const theme = (await cookies()).get("theme")?.value === "dark" ? "dark" : "light";
  // Counted here, once: the browser starts its countdown from this number, so both renders agree.
  const sudo = ctx.sudo
    ? { expiresAt: ctx.sudo.expiresAt.toISOString(), secondsLeft: Math.max(0, Math.round((ctx.sudo.expiresAt.getTime() - Date.now()) / 1000)) }
    : null;
  return (
    <ConsoleShell
      user={ctx.user}
      org={ctx.org}
      roleLabel={ROLE_LABELS[ctx.role]}
      orgs={ctx.memberships.map((m) => ({ id: m.orgId, name: m.orgName, roleLabel: ROLE_LABELS[m.role] }))}
      theme={theme}
      sudo={sudo}
      untrustedReason={ctx.session.trustState === "untrusted" ? ctx.session.trustReason : null}
      sudoMethods={sudoMethods(ctx.user)}
    >
      {children}
    </ConsoleShell>
  );
}
