import { redirect } from "next/navigation";
import { getDb } from "@/lib/server/db/client";
import { isSetupComplete } from "@/lib/server/setup/setup-first-owner";
import { AuthCard } from "@/components/ui/auth-card";
import { SetupForm } from "./setup-form";

export const metadata = { title: "Set up Gatehouse" };

export default async function SetupPage() {
  if (await isSetupComplete(getDb())) redirect("/sign-in");
  return (
    <AuthCard
      title="Set up Gatehouse"
      description="Create the first owner account and your organization. You can invite everyone else afterwards."
    >
      <SetupForm />
    </AuthCard>
  );
}
