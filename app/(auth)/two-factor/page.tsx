import { requirePendingSession } from "@/lib/server/auth/pending-session";
import { challengeMethods } from "@/lib/factor-methods";
import { AuthCard } from "@/components/ui/auth-card";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { TwoFactorChallenge } from "./two-factor-challenge";

export const metadata = { title: "Two-factor authentication" };

export default async function TwoFactorPage() {
  const ctx = await requirePendingSession();
  return (
    <AuthCard title="Two-factor authentication" description={`Signing in as ${ctx.user.email}. Confirm it's you with your second factor.`}>
      <TwoFactorChallenge methods={challengeMethods(ctx.user)} callbackUrl="/overview" />
      <div className="mt-6 border-t border-zinc-200 pt-4 text-center text-sm dark:border-zinc-800">
        <SignOutButton className="text-zinc-600 hover:underline dark:text-zinc-400" label="Cancel and sign out" />
      </div>
    </AuthCard>
  );
}
