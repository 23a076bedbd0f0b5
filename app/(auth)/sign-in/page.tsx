import { redirect } from "next/navigation";
import { getDb } from "@/lib/server/db/client";
import { isSetupComplete } from "@/lib/server/setup/setup-first-owner";
import { getCurrentSession } from "@/lib/server/auth/current-session";
import { getConfig } from "@/lib/server/config";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { AuthCard } from "@/components/ui/auth-card";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in" };

/** Only same-origin paths are followed after sign-in (resolved against PUBLIC_URL, see lib/safe-redirect.ts). */
function safeCallback(value: string | string[] | undefined): string {
  return safeRedirectPath(Array.isArray(value) ? value[0] : value, getConfig().publicUrl);
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!(await isSetupComplete(getDb()))) redirect("/setup");
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getCurrentSession()) redirect(callbackUrl);
  return (
    <AuthCard title="Sign in to Gatehouse" description="Use the email and password of your Gatehouse account.">
      <SignInForm callbackUrl={callbackUrl} />
    </AuthCard>
  );
}
