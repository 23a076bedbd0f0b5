import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Webhooks" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Webhooks"
      description="Signed event deliveries to your services."
      planned={[
        "Standard Webhooks signatures and secret rotation",
        "Retries with backoff and automatic disabling",
        "Delivery history, test sends and redelivery",
        "SSRF protection for callback URLs",
      ]}
    />
  );
}
