"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { ActionMessage } from "@/components/security/action-message";
import { FactorForm } from "@/components/security/factor-form";
import { RecoveryCodesReveal } from "@/components/security/recovery-codes-reveal";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { createSecurityKey } from "@/lib/client/webauthn";
import type { FactorMethod } from "@/lib/factor-methods";
import { finishKeyRegistrationAction, removeKeyAction, renameKeyAction, startKeyRegistrationAction, verificationKeyOptionsAction } from "./actions";

export interface KeyRow {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : "never");

export function SecurityKeysCard({ keys, verifyMethods }: { keys: KeyRow[]; verifyMethods: FactorMethod[] }) {
  return (
    <Card>
      <CardHeader title="Security keys" description="Hardware keys and passkeys (WebAuthn). They work as a second factor, for sudo, and to sign in without a password." />
      {keys.length === 0 ? (
        <EmptyState title="No security keys yet" description="Add one below. Use a name you will recognise, such as “YubiKey on keyring”." />
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Security keys">
          {keys.map((k) => (
            <KeyItem key={k.id} k={k} verifyMethods={verifyMethods} />
          ))}
        </ul>
      )}
      <AddKeyForm />
    </Card>
  );
}

function AddKeyForm() {
  const router = useRouter();
  const [, , , startDialog, start, startAsking] = useSudoAction(startKeyRegistrationAction);
  const [, , , finishDialog, finish, finishAsking] = useSudoAction(finishKeyRegistrationAction);
  const [transitionPending, startTransition] = useTransition();
  // Not busy while the sudo dialog asks: the refused attempt is over until it is retried.
  const pending = transitionPending && !startAsking && !finishAsking;
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [nameError, setNameError] = useState<string[] | undefined>();
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) {
    return (
      <div className="border-t border-zinc-100 px-5 py-4 dark:border-zinc-800">
        <RecoveryCodesReveal
          codes={codes}
          onDone={() => {
            setCodes(null);
            router.refresh();
          }}
        />
      </div>
    );
  }

  return (
    <>
      <form
        className="flex flex-wrap items-end gap-3 border-t border-zinc-100 px-5 py-4 dark:border-zinc-800"
        action={(formData) =>
          startTransition(async () => {
            setMessage(null);
            setNameError(undefined);
            const options = await start(formData);
            if (!options.ok) {
              setNameError(options.fieldErrors?.name);
              if (!options.fieldErrors) setMessage({ tone: "error", text: options.message });
              return;
            }
            const created = await createSecurityKey(options.data);
            if (!created.ok) return setMessage({ tone: "error", text: created.message });
            formData.set("response", JSON.stringify(created.response));
            const stored = await finish(formData);
            if (!stored.ok) return setMessage({ tone: "error", text: stored.message });
            setMessage({ tone: "success", text: stored.message ?? "Security key added." });
            if (stored.data.recoveryCodes) setCodes(stored.data.recoveryCodes);
            else router.refresh();
          })
        }
      >
        <Field name="name" label="Key name" required maxLength={60} placeholder="YubiKey 5C" className="min-w-56 flex-1" errors={nameError} />
        <Button type="submit" disabled={pending}>
          {pending ? "Waiting for your key…" : "Add security key"}
        </Button>
        <div className="basis-full" aria-live="polite">
          {message && <Alert tone={message.tone}>{message.text}</Alert>}
        </div>
      </form>
      {startDialog}
      {finishDialog}
    </>
  );
}

function KeyItem({ k, verifyMethods }: { k: KeyRow; verifyMethods: FactorMethod[] }) {
  const router = useRouter();
  const [mode, setMode] = useState<"view" | "rename" | "remove">("view");
  const [renamed, rename, renaming, renameDialog] = useSudoAction(renameKeyAction);
  const [, , , removeDialog, remove, removeAsking] = useSudoAction(removeKeyAction);

  return (
    <li className="space-y-3 px-5 py-3.5" data-testid={`security-key-${k.name}`}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-56 flex-1">
          <p className="flex items-center gap-2 text-sm font-medium">
            {k.name} {k.backedUp && <Badge tone="brand">Synced passkey</Badge>}
          </p>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            Added {day(k.createdAt)} · last used {day(k.lastUsedAt)}
          </p>
        </div>
        {mode === "view" && (
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" onClick={() => setMode("rename")} aria-label={`Rename ${k.name}`}>
              Rename
            </Button>
            <Button variant="ghost" size="sm" className="text-red-700 dark:text-red-400" onClick={() => setMode("remove")} aria-label={`Remove ${k.name}`}>
              Remove
            </Button>
          </div>
        )}
      </div>
      {mode === "rename" && (
        <form
          className="flex flex-wrap items-end gap-2"
          action={(formData) => {
            formData.set("keyId", k.id);
            rename(formData);
          }}
        >
          <Field name="name" label="New name" defaultValue={k.name} required maxLength={60} className="min-w-56 flex-1" errors={renamed && !renamed.ok ? renamed.fieldErrors?.name : undefined} />
          <Button type="submit" size="sm" disabled={renaming}>
            Save name
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setMode("view")}>
            Cancel
          </Button>
          <div className="basis-full">
            <ActionMessage state={renamed && (!renamed.ok && !renamed.fieldErrors ? renamed : renamed.ok ? renamed : null)} />
          </div>
        </form>
      )}
      {mode === "remove" && (
        <div className="max-w-sm space-y-2">
          <p className="text-sm">Confirm with a code or another security key to remove “{k.name}”.</p>
          <FactorForm
            methods={verifyMethods}
            action={(_prev, formData) => remove(formData)}
            keyOptionsAction={verificationKeyOptionsAction}
            hidden={{ keyId: k.id }}
            submitLabel="Remove key"
            paused={removeAsking}
            onSuccess={() => router.refresh()}
          />
          <Button variant="ghost" size="sm" onClick={() => setMode("view")}>
            Cancel
          </Button>
        </div>
      )}
      {renameDialog}
      {removeDialog}
    </li>
  );
}
