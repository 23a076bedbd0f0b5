"use client";
import { FactorForm } from "@/components/security/factor-form";
import type { FactorMethod } from "@/lib/factor-methods";
import { challengeKeyOptionsAction, completeSignInAction } from "./actions";

export function TwoFactorChallenge({ methods, callbackUrl }: { methods: FactorMethod[]; callbackUrl: string }) {
  return (
    <FactorForm
      methods={methods}
      action={completeSignInAction}
      keyOptionsAction={challengeKeyOptionsAction}
      submitLabel="Verify"
      onSuccess={() => window.location.assign(callbackUrl)}
    />
  );
}
