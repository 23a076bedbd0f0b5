import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "API keys" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="API keys"
      description="Scoped keys for the platform's API, CLI and agents."
      planned={[
        "Keys shown once, stored hashed",
        "Scopes intersected with the owner's role",
        "Expiry, CIDR allowlists and per-resource restrictions",
        "Last use and revocation",
      ]}
    />
  );
}
