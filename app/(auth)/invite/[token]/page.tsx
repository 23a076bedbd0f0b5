import Link from "next/link";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/server/db/client";
import { findInvitationByToken } from "@/lib/server/invitations/find-invitation";
import { getCurrentSession } from "@/lib/server/auth/current-session";
import { AuthCard } from "@/components/ui/auth-card";
import { buttonClasses } from "@/components/ui/button";
import { ROLE_LABELS, isRole } from "@/lib/permissions";
import { AcceptAsNewUserForm, AcceptSignedInForm } from "./accept-invitation-form";
import { SignOutButton } from "@/components/shell/sign-out-button";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup = await findInvitationByToken(getDb(), token);
  if (lookup.status === "invalid") {
    return (
      <AuthCard title="This invitation is not valid" description="It may have expired, been revoked, or been used already. Ask an owner or admin of the organization for a new link.">
        <Link href="/sign-in" className={buttonClasses("secondary", "md", "w-full")}>
          Go to sign-in
        </Link>
      </AuthCard>
    );
  }

  const { invitation } = lookup;
  const roleLabel = isRole(invitation.role) ? ROLE_LABELS[invitation.role] : invitation.role;
  const title = `Join ${invitation.orgName}`;
  const description = (
    <>
      You were invited as <strong>{roleLabel}</strong> with <strong>{invitation.email}</strong>. The link expires{" "}
      {invitation.expiresAt.toUTCString()}.
    </>
  );
  const current = await getCurrentSession();
  if (current?.session.trustState === "pending_second_factor") redirect("/two-factor");

  if (current) {
    if (current.user.email !== invitation.email) {
      return (
        <AuthCard title={title} description={description}>
          <p className="mb-4 text-sm text-zinc-700 dark:text-zinc-300">
            You are signed in as <strong>{current.user.email}</strong>. Sign out, then open this link again and sign in as {invitation.email}.
          </p>
          <SignOutButton callbackUrl={`/invite/${token}`} className={buttonClasses("secondary", "md", "w-full")} />
        </AuthCard>
      );
    }
    return (
      <AuthCard title={title} description={description}>
        <AcceptSignedInForm token={token} />
      </AuthCard>
    );
  }

  if (lookup.hasAccount) {
    return (
      <AuthCard title={title} description={description}>
        <p className="mb-4 text-sm text-zinc-700 dark:text-zinc-300">You already have a Gatehouse account. Sign in to accept.</p>
        <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`} className={buttonClasses("primary", "md", "w-full")}>
          Sign in to accept
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={title} description={description}>
      <AcceptAsNewUserForm token={token} email={invitation.email} />
    </AuthCard>
  );
}
