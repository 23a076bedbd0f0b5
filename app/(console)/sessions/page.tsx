import { requireOrgSession } from "@/lib/server/auth/guards";
import { can, canManageMember, isRole } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { listMemberSessions, listUserSessions } from "@/lib/server/sessions/list-sessions";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { TrustBadge } from "@/components/security/trust-badge";
import { formatDateTime, formatRelative } from "@/lib/format";
import { RevokeOthersButton, RevokeSessionButton } from "./session-controls";

export const metadata = { title: "Sessions" };

type Row = Awaited<ReturnType<typeof listUserSessions>>[number];

function SessionDetails({ s, current }: { s: Row; current: boolean }) {
  return (
    <div className="min-w-60 flex-1 space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <p className="text-sm font-semibold">{s.deviceLabel}</p>
        {current && <Badge tone="brand">This session</Badge>}
        <TrustBadge state={s.trustState} />
      </div>
      <p className="text-xs text-zinc-600 dark:text-zinc-400">
        IP <span className="font-mono">{s.ip ?? "unknown"}</span> · signed in {formatDateTime(s.createdAt)} · last seen {formatRelative(s.lastSeenAt)} · expires{" "}
        {formatRelative(s.expiresAt < s.idleExpiresAt ? s.expiresAt : s.idleExpiresAt)}
      </p>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {s.trustReason} ({formatRelative(s.trustChangedAt)})
      </p>
    </div>
  );
}

export default async function SessionsPage() {
  const ctx = await requireOrgSession();
  const db = getDb();
  const listed = await listUserSessions(db, ctx.user.id);
  // This browser's session first, then the others, most recently used first.
  const current = listed.filter((s) => s.publicId === ctx.session.publicId);
  const others = listed.filter((s) => s.publicId !== ctx.session.publicId);
  const mine = [...current, ...others];
  const manageOthers = can(ctx.role, "sessions.manage_others");
  const members = manageOthers ? await listMemberSessions(db, ctx.org.id, ctx.user.id) : [];
  // The same rule as member management: an admin cannot act on an owner's sessions.
  const manageable = (role: string | undefined) => isRole(role) && canManageMember(ctx.role, role);

  return (
    <>
      <PageHeader title="Sessions" description="Every browser signed in to your account, with its device, network and trust. Revoke anything you do not recognise." />
      <div className="space-y-6">
        <Card>
          <CardHeader
            title={`Your sessions (${mine.length})`}
            description="Signing out all other sessions needs sudo mode."
            actions={<RevokeOthersButton others={others.length} />}
          />
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Your sessions">
            {mine.map((s) => (
              <li key={s.publicId} className="flex flex-wrap items-start gap-4 px-5 py-4" data-testid={s.publicId === ctx.session.publicId ? "current-session" : "other-session"}>
                <SessionDetails s={s} current={s.publicId === ctx.session.publicId} />
                {s.publicId !== ctx.session.publicId && <RevokeSessionButton sessionId={s.publicId} label={`Revoke ${s.deviceLabel} session`} />}
              </li>
            ))}
          </ul>
        </Card>

        {manageOthers && (
          <Card>
            <CardHeader title="Members' sessions" description={`Sessions of other members of ${ctx.org.name}. Revoking one signs that browser out on its next request.`} />
            {members.length === 0 ? (
              <EmptyState title="No other active sessions" description="When other members sign in, their sessions appear here." />
            ) : (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Members' sessions">
                {members.map((s) => (
                  <li key={s.publicId} className="flex flex-wrap items-start gap-4 px-5 py-4" data-testid={`member-session-${s.user.email}`}>
                    <div className="min-w-60 flex-1">
                      <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">
                        {s.user.name} · {s.user.email}
                      </p>
                      <SessionDetails s={s} current={false} />
                    </div>
                    {manageable(s.user.memberships[0]?.role) ? (
                      <RevokeSessionButton sessionId={s.publicId} label={`Revoke ${s.user.email} ${s.deviceLabel} session`} />
                    ) : (
                      <p className="max-w-56 text-xs text-zinc-500 dark:text-zinc-400">Only an owner can revoke an owner&apos;s sessions.</p>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
      </div>
    </>
  );
}
