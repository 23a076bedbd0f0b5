"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionMessage } from "@/components/security/action-message";
import { FactorForm } from "@/components/security/factor-form";
import { RecoveryCodesReveal } from "@/components/security/recovery-codes-reveal";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { FactorMethod } from "@/lib/factor-methods";
import { beginTotpSetupAction, confirmTotpSetupAction, disableTotpAction, verificationKeyOptionsAction } from "./actions";

export function TotpCard({ enabled, enabledAt, verifyMethods }: { enabled: boolean; enabledAt: string | null; verifyMethods: FactorMethod[] }) {
  // A new round remounts the setup flow after TOTP is turned off, so no stale secret is shown.
  const [round, setRound] = useState(0);
  const [revealing, setRevealing] = useState(false);
  return (
    <Card>
      <CardHeader
        title="Authenticator app"
        description="Time-based one-time codes (TOTP) from an app such as 1Password, Authy or Google Authenticator."
        actions={enabled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
      />
      <div className="space-y-4 px-5 py-4">
        {enabled && !revealing ? (
          <EnabledView enabledAt={enabledAt} verifyMethods={verifyMethods} onDisabled={() => setRound((r) => r + 1)} />
        ) : (
          <TotpSetup key={round} onRevealChange={setRevealing} />
        )}
      </div>
    </Card>
  );
}

function TotpSetup({ onRevealChange }: { onRevealChange: (revealing: boolean) => void }) {
  const router = useRouter();
  const [setup, begin, beginning, beginDialog] = useSudoAction(beginTotpSetupAction);
  const [confirmed, , , confirmDialog, confirm, confirmAsking] = useSudoAction(confirmTotpSetupAction);
  const [codes, setCodes] = useState<string[] | null>(null);
  const secret = setup?.ok ? setup.data : null;

  if (codes) {
    return (
      <RecoveryCodesReveal
        codes={codes}
        onDone={() => {
          setCodes(null);
          onRevealChange(false);
          router.refresh();
        }}
      />
    );
  }

  if (!secret) {
    return (
      <>
        <Button onClick={() => begin(new FormData())} disabled={beginning}>
          {beginning ? "Preparing…" : "Set up authenticator app"}
        </Button>
        <ActionMessage state={setup && !setup.ok ? setup : null} />
        {beginDialog}
      </>
    );
  }

  return (
    <div className="grid gap-6 sm:grid-cols-[auto_1fr]">
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated on the server */}
      <img src={secret.qrDataUrl} alt="QR code for your authenticator app" width={176} height={176} className="rounded-lg bg-white p-2 ring-1 ring-zinc-200" />
      <div className="space-y-4">
        <ol className="list-decimal space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>Scan the QR code with your authenticator app, or enter the setup key below.</li>
          <li>Enter the 6-digit code the app shows.</li>
        </ol>
        <div>
          <p className="text-xs font-medium text-zinc-500 dark:text-zinc-400">Setup key</p>
          <p data-testid="totp-secret" className="mt-1 font-mono text-sm break-all select-all">
            {secret.secret}
          </p>
        </div>
        <form
          action={async (formData) => {
            const result = await confirm(formData);
            if (!result.ok) return;
            if (result.data.recoveryCodes) {
              onRevealChange(true);
              setCodes(result.data.recoveryCodes);
            } else {
              router.refresh();
            }
          }}
          className="flex max-w-sm flex-wrap items-end gap-3"
        >
          <Field
            name="code"
            label="6-digit code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            className="flex-1"
            errors={confirmed && !confirmed.ok ? confirmed.fieldErrors?.code : undefined}
          />
          <SubmitButton pendingLabel="Checking…" idle={confirmAsking}>
            Enable authenticator app
          </SubmitButton>
        </form>
        {confirmed && !confirmed.ok && !confirmed.fieldErrors && <ActionMessage state={confirmed} />}
      </div>
      {confirmDialog}
    </div>
  );
}

function EnabledView({ enabledAt, verifyMethods, onDisabled }: { enabledAt: string | null; verifyMethods: FactorMethod[]; onDisabled: () => void }) {
  const router = useRouter();
  const [disabling, setDisabling] = useState(false);
  const [, , , dialog, call, asking] = useSudoAction(disableTotpAction);
  return (
    <>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        On since {enabledAt ? enabledAt.slice(0, 10) : "—"}. Sign-in asks for a code after your password.
      </p>
      {disabling ? (
        <div className="max-w-sm space-y-2">
          <p className="text-sm">Confirm with a current code or a security key to turn it off.</p>
          <FactorForm
            methods={verifyMethods}
            action={(_prev, formData) => call(formData)}
            keyOptionsAction={verificationKeyOptionsAction}
            submitLabel="Turn off"
            paused={asking}
            onSuccess={() => {
              setDisabling(false);
              onDisabled();
              router.refresh();
            }}
          />
          <Button variant="ghost" size="sm" onClick={() => setDisabling(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setDisabling(true)}>
          Turn off authenticator app
        </Button>
      )}
      {dialog}
    </>
  );
}
