import { requireOrgSession } from "@/lib/server/auth/guards";
import { can } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { getApiKeyPolicy } from "@/lib/server/orgs/get-api-key-policy";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/card";
import { KeyPolicyCard } from "./key-policy-card";
import { TeamsCard } from "./teams-card";
import { listTeams } from "@/lib/server/teams/list-teams";
import { listMembers } from "@/lib/server/members/list-members";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const ctx = await requireOrgSession();
  const [policy, teams, { members }] = await Promise.all([getApiKeyPolicy(getDb(), ctx.org.id), listTeams(getDb(), { orgId: ctx.org.id }), listMembers(getDb(), ctx.org.id)]);
  return (
    <>
      <PageHeader title="Settings" description={`Organization-wide settings of ${ctx.org.name}.`} />
      <div className="space-y-6">
        <KeyPolicyCard maxLifetimeDays={policy.maxLifetimeDays} editable={can(ctx.role, "org.security_policy")} />
        <TeamsCard teams={teams} people={members.map((m) => ({ userId: m.user.id, email: m.user.email }))} editable={can(ctx.role, "teams.manage")} />
        <Card>
          <div className="px-5 py-4">
            <h2 className="text-base font-semibold">More settings are coming</h2>
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
              The organization&apos;s name, session lifetimes and the sudo window are set by configuration today; the two-factor requirement lives on the Security page.
            </p>
          </div>
        </Card>
      </div>
    </>
  );
}
