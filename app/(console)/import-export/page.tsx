import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Import / Export" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Import / Export"
      description="Move configuration between Gatehouse installations."
      planned={[
        "Versioned JSON export by area",
        "Secrets only with a passphrase",
        "Validated import with preview and merge choices",
        "Rollback of a completed import",
      ]}
    />
  );
}
