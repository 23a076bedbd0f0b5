"use client";
import { FactorForm } from "@/components/security/factor-form";
import type { FactorMethod } from "@/lib/factor-methods";
import { restoreTrustAction, restoreTrustKeyOptionsAction } from "./actions";

export function RestoreTrustForm({ methods }: { methods: FactorMethod[] }) {
  return (
    <FactorForm
      methods={methods}
      action={restoreTrustAction}
      keyOptionsAction={restoreTrustKeyOptionsAction}
      submitLabel="Restore trust"
      onSuccess={() => window.location.assign("/sessions")}
    />
  );
}
