import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Secrets" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Secrets"
      description="An encrypted vault for organization, team and workspace secrets."
      planned={[
        "Envelope encryption with master-key rotation",
        "Audited reveal behind sudo",
        "Rotation policies and overdue alerts",
        "Database, AWS Secrets Manager or HashiCorp Vault backends",
      ]}
    />
  );
}
