import { cookies } from "next/headers";
import { requireOrgSession } from "@/lib/server/auth/guards";
import { ROLE_LABELS } from "@/lib/permissions";
import { ConsoleShell } from "@/components/shell/console-shell";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireOrgSession();
  const theme = (await cookies()).get("theme")?.value === "dark" ? "dark" : "light";
  return (
    <ConsoleShell
      user={ctx.user}
      org={ctx.org}
      roleLabel={ROLE_LABELS[ctx.role]}
      orgs={ctx.memberships.map((m) => ({ id: m.orgId, name: m.orgName, roleLabel: ROLE_LABELS[m.role] }))}
      theme={theme}
    >
      {children}
    </ConsoleShell>
  );
}
