import { redirect } from "next/navigation";
import { getDb } from "@/lib/server/db/client";
import { isSetupComplete } from "@/lib/server/setup/setup-first-owner";
import { isValidSetupToken } from "@/lib/server/setup/setup-token";
import { AuthCard } from "@/components/ui/auth-card";
import { Alert } from "@/components/ui/alert";
import { SetupForm } from "./setup-form";

export const metadata = { title: "Set up Gatehouse" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const db = getDb();
  if (await isSetupComplete(db)) redirect("/sign-in");
  const raw = (await searchParams).token;
  const token = typeof raw === "string" ? raw : null;
  if (!(await isValidSetupToken(db, token))) {
    return (
      <AuthCard title="Set up Gatehouse" description="First-run setup is protected by a one-time link, so only the person who started the server can create the owner account.">
        <div className="space-y-4 text-sm text-zinc-700 dark:text-zinc-300">
          <Alert tone={token ? "error" : "info"} title={token ? "This setup link is not valid" : "Open the setup link from the server output"}>
            {token
              ? "It may have expired (links last 24 hours) or been mistyped."
              : "This page needs the one-time link Gatehouse printed when it started."}
          </Alert>
          <p>
            Look in the terminal (or the logs) of the Gatehouse server for the line <span className="font-medium">Open this link to create the first owner account</span>,
            and open the link below it. Restarting the server prints a new link.
          </p>
        </div>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Set up Gatehouse"
      description="Create the first owner account and your organization. You can invite everyone else afterwards."
    >
      <SetupForm token={token!} />
    </AuthCard>
  );
}
