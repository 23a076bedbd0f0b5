import { redirect } from "next/navigation";
import { requireSession } from "@/lib/server/auth/guards";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { buttonClasses } from "@/components/ui/button";
import { Logo } from "@/components/brand/logo";

export const metadata = { title: "No organization" };

export default async function NoOrganizationPage() {
  const ctx = await requireSession();
  if (ctx.org) redirect("/overview");
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <Logo />
      <h1 className="mt-8 text-xl font-semibold">You are not a member of any organization</h1>
      <p className="mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
        Signed in as {ctx.user.email}. Ask an owner or admin for an invitation link, then open it while signed in.
      </p>
      <SignOutButton className={buttonClasses("secondary", "md", "mt-6")} />
    </main>
  );
}
