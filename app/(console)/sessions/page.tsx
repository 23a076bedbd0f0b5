import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Sessions" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Sessions"
      description="Where you are signed in, with device, trust state and expiry."
      planned={[
        "Every browser session with device, IP, first and last seen",
        "Trust states and why they changed",
        "Revoke one session or all others",
        "Admins revoke sessions of members",
      ]}
    />
  );
}
