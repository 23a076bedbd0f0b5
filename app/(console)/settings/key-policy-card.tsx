"use client";
import { useState, useTransition } from "react";
import { ClientForm } from "@/components/ui/client-form";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import { setKeyPolicyAction } from "./actions";

/** Owners set the longest lifetime a new (or rolled) API key may have; others read it. */
export function KeyPolicyCard({ maxLifetimeDays, editable }: { maxLifetimeDays: number | null; editable: boolean }) {
  const [, , , dialog, call, asking] = useSudoAction(setKeyPolicyAction);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const pending = isPending && !asking;
  const current = maxLifetimeDays === null ? "No maximum: keys may be created without expiry." : `Keys expire within ${maxLifetimeDays} days at most.`;
  return (
    <Card>
      <CardHeader
        title="API key lifetime"
        description={editable ? "The longest a new or rolled API key may live. Existing keys keep their expiry. Only owners can change it; it needs sudo mode." : "Set by the organization's owners."}
      />
      {editable ? (
        <ClientForm
          className="space-y-4 px-5 py-4"
          noValidate
          onData={(formData) => {
            startTransition(async () => setResult(await call(formData)));
          }}
        >
          <Field
            name="maxLifetimeDays"
            label="Maximum key lifetime (days)"
            inputMode="numeric"
            defaultValue={maxLifetimeDays === null ? "" : String(maxLifetimeDays)}
            placeholder="No maximum"
            hint="1 to 3650 days; empty for no maximum. With a maximum, “no expiry” is not offered and longer expiries are refused."
            errors={result && !result.ok ? result.fieldErrors?.maxLifetimeDays : undefined}
            className="max-w-sm"
          />
          <div aria-live="polite">
            <ActionMessage state={result} />
          </div>
          <Button type="submit" variant="secondary" size="sm" disabled={pending}>
            {pending ? "Saving…" : "Save key policy"}
          </Button>
        </ClientForm>
      ) : (
        <p className="px-5 py-4 text-sm text-zinc-700 dark:text-zinc-300" data-testid="key-policy">
          {current}
        </p>
      )}
      {dialog}
    </Card>
  );
}
