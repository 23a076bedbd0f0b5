import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Job ENV" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Job ENV"
      description="Environment variables injected into job runs."
      planned={[
        "Organization-wide values with per-Prop overrides",
        "References to vault secrets",
        "Effective variables per Prop with their source",
      ]}
    />
  );
}
