"use client";
import { useId, useState } from "react";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import type { ActionResult, ActionState } from "@/lib/action-result";
import { getSecurityKeyAssertion } from "@/lib/client/webauthn";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

import type { FactorMethod } from "@/lib/factor-methods";
export type { FactorMethod };

const LABELS: Record<FactorMethod, string> = {
  totp: "Authenticator app",
  security_key: "Security key",
  recovery_code: "Recovery code",
  password: "Password",
};

interface FactorFormProps<T> {
  methods: FactorMethod[];
  action: (prev: ActionState<T>, formData: FormData) => Promise<ActionResult<T>>;
  /** Fetches WebAuthn request options for this purpose; required when security_key is offered. */
  keyOptionsAction?: () => Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>>;
  submitLabel: string;
  /** Hidden values sent with every attempt (e.g. the key being removed). */
  hidden?: Record<string, string>;
  onSuccess?: (result: Extract<ActionResult<T>, { ok: true }>) => void;
  /** The attempt is waiting on another dialog (sudo): show the idle label meanwhile. */
  paused?: boolean;
}

/**
 * Proves "it's you" with one of the offered methods. Used by the sign-in
 * challenge, trust restoration, the sudo dialog and factor removal.
 */
export function FactorForm<T>({ methods, action, keyOptionsAction, submitLabel, hidden, onSuccess, paused = false }: FactorFormProps<T>) {
  const [method, setMethod] = useState<FactorMethod>(methods[0] ?? "password");
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]> | undefined>();
  // Own flag rather than useTransition's isPending: React batches concurrent async
  // transitions, so inside the sudo dialog (opened from a caller's still-pending
  // transition) isPending would stay true after a failed attempt and block a retry.
  const [running, setPending] = useState(false);
  const pending = running && !paused;
  const groupId = useId();

  async function attempt(formData: FormData) {
    for (const [k, v] of Object.entries(hidden ?? {})) formData.set(k, v);
    formData.set("method", method);
    const result = await action(null, formData);
    if (result.ok) {
      setFieldErrors(undefined);
      onSuccess?.(result);
    } else {
      setError(result.message);
      setFieldErrors(result.fieldErrors);
    }
  }

  async function run(work: () => Promise<void>) {
    setPending(true);
    setError(null);
    try {
      await work();
    } finally {
      setPending(false);
    }
  }

  function submit(formData: FormData) {
    void run(() => attempt(formData));
  }

  function verifyWithKey() {
    if (!keyOptionsAction) return;
    void run(async () => {
      const options = await keyOptionsAction();
      if (!options.ok) return setError(options.message);
      const assertion = await getSecurityKeyAssertion(options.data);
      if (!assertion.ok) return setError(assertion.message);
      const formData = new FormData();
      formData.set("response", JSON.stringify(assertion.response));
      await attempt(formData);
    });
  }

  return (
    <div className="space-y-4">
      {methods.length > 1 && (
        <fieldset>
          <legend className="sr-only">Verification method</legend>
          <div className="flex flex-wrap gap-1 rounded-lg bg-zinc-100 p-1 dark:bg-zinc-800">
            {methods.map((m) => (
              <label
                key={m}
                className={cn(
                  "flex-1 cursor-pointer rounded-md px-3 py-1.5 text-center text-sm font-medium whitespace-nowrap has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500",
                  method === m ? "bg-white shadow-sm dark:bg-zinc-900" : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100",
                )}
              >
                <input
                  type="radio"
                  name={`${groupId}-method`}
                  value={m}
                  checked={method === m}
                  onChange={() => {
                    setMethod(m);
                    setError(null);
                    setFieldErrors(undefined);
                  }}
                  className="sr-only"
                />
                {LABELS[m]}
              </label>
            ))}
          </div>
        </fieldset>
      )}

      <div aria-live="assertive">{error && <Alert tone="error">{error}</Alert>}</div>

      {method === "security_key" ? (
        <div className="space-y-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Insert or touch your security key, or use your device&apos;s passkey, when your browser asks.</p>
          <Button onClick={verifyWithKey} disabled={pending} className="w-full">
            {pending ? "Waiting for your security key…" : `${submitLabel} with security key`}
          </Button>
        </div>
      ) : (
        <form action={submit} className="space-y-4" key={method}>
          {method === "password" && <Field name="password" label="Password" type="password" autoComplete="current-password" required autoFocus errors={fieldErrors?.password} />}
          {method === "totp" && (
            <Field
              name="code"
              label="6-digit code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9 ]*"
              maxLength={7}
              required
              autoFocus
              hint="From your authenticator app."
              errors={fieldErrors?.code}
            />
          )}
          {method === "recovery_code" && (
            <Field name="code" label="Recovery code" autoComplete="off" spellCheck={false} required autoFocus hint="Each recovery code works once." errors={fieldErrors?.code} />
          )}
          <Button type="submit" disabled={pending} className="w-full">
            {pending ? "Checking…" : submitLabel}
          </Button>
        </form>
      )}
    </div>
  );
}
