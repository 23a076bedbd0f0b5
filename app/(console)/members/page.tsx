import { requireOrgSession } from "@/lib/server/auth/guards";
import { assignableRoles, can, canManageMember, isRole, ROLE_LABELS, type Role } from "@/lib/permissions";
import { getDb } from "@/lib/server/db/client";
import { listMembers } from "@/lib/server/members/list-members";
import { PageHeader } from "@/components/ui/page-header";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Forbidden } from "@/components/console/forbidden";
import { formatDateTime, formatRelative } from "@/lib/format";
import { InviteForm } from "./invite-form";
import { RemoveMemberForm, RevokeInvitationForm, RoleForm } from "./member-controls";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const ctx = await requireOrgSession();
  if (!can(ctx.role, "members.read")) return <Forbidden title="Members" roleLabel={ROLE_LABELS[ctx.role]} />;
  const { members, invitations } = await listMembers(getDb(), ctx.org.id);
  const canInvite = can(ctx.role, "members.invite");
  const canManage = can(ctx.role, "members.manage");
  const roles = assignableRoles(ctx.role);
  const owners = members.filter((m) => m.role === "owner").length;

  /** Why the viewer can never change this row, when they manage members but not this one; null when they can. */
  const lockedBecause = (role: Role, self: boolean): string | null => {
    if (!canManageMember(ctx.role, role)) return "Only an owner can change an owner's role or remove them.";
    if (role === "owner" && owners <= 1) {
      return self
        ? "You are the only owner. Make someone else an owner before changing your role or leaving."
        : "The only owner. Make someone else an owner before changing this role.";
    }
    return null;
  };

  return (
    <>
      <PageHeader title="Members" description={`People with access to ${ctx.org.name} and what their role allows.`} />
      <div className="space-y-6">
        {canInvite && (
          <Card>
            <CardHeader title="Invite someone" description="Create a one-time link. It expires, works once, and can be revoked until it is used." />
            <InviteForm roles={roles} />
          </Card>
        )}

        <Card>
          <CardHeader title={`Members (${members.length})`} />
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Members">
            {members.map((m) => {
              const role = isRole(m.role) ? m.role : "member";
              const self = m.userId === ctx.user.id;
              const locked = canManage ? lockedBecause(role, self) : null;
              const manageable = canManage && !locked;
              return (
                <li key={m.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-5 py-3.5" data-testid={`member-${m.user.email}`}>
                  <div className="min-w-56 flex-1">
                    <p className="truncate text-sm font-medium">
                      {m.user.name} {self && <span className="text-zinc-500">(you)</span>}
                    </p>
                    <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                      {m.user.email} · joined {formatDateTime(m.createdAt)}
                    </p>
                  </div>
                  {manageable ? (
                    <>
                      <RoleForm membershipId={m.id} role={role} roles={roles} email={m.user.email} />
                      <RemoveMemberForm membershipId={m.id} email={m.user.email} />
                    </>
                  ) : (
                    <div className="flex max-w-sm min-w-0 flex-col items-start gap-1 sm:items-end sm:text-right">
                      <Badge tone={role === "owner" ? "brand" : "neutral"}>{ROLE_LABELS[role]}</Badge>
                      {locked && (
                        <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="member-locked-reason">
                          {locked}
                        </p>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </Card>

        {canInvite && (
          <Card>
            <CardHeader title="Open invitations" description="Links that have not been used, revoked or expired." />
            {invitations.length === 0 ? (
              <EmptyState title="No open invitations" description="Invitations you create appear here until they are accepted." />
            ) : (
              <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Open invitations">
                {invitations.map((i) => (
                  <li key={i.id} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-5 py-3.5">
                    <div className="min-w-56 flex-1">
                      <p className="truncate text-sm font-medium">{i.email}</p>
                      <p className="text-xs text-zinc-500 dark:text-zinc-400">
                        {isRole(i.role) ? ROLE_LABELS[i.role] : i.role} · expires {formatRelative(i.expiresAt)}
                      </p>
                    </div>
                    <RevokeInvitationForm invitationId={i.id} email={i.email} />
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
