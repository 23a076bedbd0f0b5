"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ActionMessage } from "@/components/security/action-message";
import { RecoveryCodesReveal } from "@/components/security/recovery-codes-reveal";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { regenerateRecoveryCodesAction } from "./actions";

export function RecoveryCodesCard({ remaining, total, available }: { remaining: number; total: number; available: boolean }) {
  const router = useRouter();
  const [state, run, pending, dialog] = useSudoAction(regenerateRecoveryCodesAction);
  const [saved, setSaved] = useState<string[] | null>(null);
  const fresh = state?.ok && state.data.recoveryCodes !== saved ? state.data.recoveryCodes : null;

  return (
    <Card>
      <CardHeader title="Recovery codes" description="Single-use codes that sign you in when your authenticator app or security key is not at hand." />
      <div className="space-y-4 px-5 py-4">
        {fresh ? (
          <RecoveryCodesReveal
            codes={fresh}
            onDone={() => {
              setSaved(fresh);
              router.refresh();
            }}
          />
        ) : !available ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Recovery codes are created when you turn on an authenticator app or add a security key.</p>
        ) : (
          <>
            <p data-testid="recovery-remaining" className="text-sm font-medium">
              {remaining} of {total} remaining
            </p>
            {remaining <= 2 && (
              <Alert tone="warning" title={remaining === 0 ? "No recovery codes left" : "Few recovery codes left"}>
                Regenerate a new set so you are not locked out if you lose your other factors.
              </Alert>
            )}
            <div className="flex flex-wrap items-center gap-3">
              <Button variant="secondary" size="sm" disabled={pending} onClick={() => run(new FormData())}>
                {pending ? "Generating…" : "Regenerate codes"}
              </Button>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">Your current codes stop working when you do.</span>
            </div>
            <ActionMessage state={state && !state.ok ? state : null} />
          </>
        )}
      </div>
      {dialog}
    </Card>
  );
}
