import { requireOrgSession } from "@/lib/server/auth/guards";
import { NotAvailableYet } from "@/components/console/not-available";

export const metadata = { title: "Security" };

export default async function Page() {
  await requireOrgSession();
  return (
    <NotAvailableYet
      title="Security"
      description="Two-factor authentication and security keys for your account."
      planned={[
        "Authenticator app (TOTP) with QR setup",
        "Single-use recovery codes",
        "WebAuthn security keys and passkeys",
        "Sudo mode for sensitive actions",
      ]}
    />
  );
}
