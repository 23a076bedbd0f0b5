import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Settings" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Settings"
      description="Organization-wide settings."
      planned={[
        "Organization name and slug",
        "Session lifetimes and the sudo window (today set by configuration)",
        "Organization deletion and ownership transfer",
      ]}
    />
  );
}
