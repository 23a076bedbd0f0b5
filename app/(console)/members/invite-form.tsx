"use client";
import { useState } from "react";
import { ClientForm } from "@/components/ui/client-form";
import { Alert } from "@/components/ui/alert";
import { ActionMessage } from "@/components/security/action-message";
import { Field, inputClasses } from "@/components/ui/field";
import { Button } from "@/components/ui/button";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "@/lib/permissions";
import { inviteMemberAction } from "./actions";

export function InviteForm({ roles }: { roles: Role[] }) {
  // Inviting hands out a role, so it needs sudo: the dialog opens when the server asks for it.
  const [state, run, pending, dialog] = useSudoAction(inviteMemberAction);
  const [copied, setCopied] = useState(false);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;

  return (
    <div className="space-y-4 px-5 py-4">
      <ClientForm
        onData={(formData) => {
          run(formData);
        }}
        className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start"
        noValidate
      >
        <Field name="email" label="Email" type="email" autoComplete="off" required placeholder="name@example.com" errors={errors?.email} defaultValue={values?.email} />
        <div className="space-y-1.5">
          <label htmlFor="invite-role" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Role
          </label>
          <select id="invite-role" name="role" defaultValue={values?.role ?? "member"} className={inputClasses} aria-describedby="invite-role-hint">
            {roles.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:pt-7">
          <Button type="submit" disabled={pending} aria-disabled={pending}>
            {pending ? "Creating link…" : "Create invitation"}
          </Button>
        </div>
      </ClientForm>
      <dl id="invite-role-hint" className="grid gap-x-4 gap-y-1 text-xs sm:grid-cols-[auto_1fr]">
        {roles.map((r) => (
          <div key={r} className="contents">
            <dt className="font-semibold text-zinc-700 dark:text-zinc-300">{ROLE_LABELS[r]}</dt>
            <dd className="mb-1 text-zinc-500 sm:mb-0 dark:text-zinc-400">{ROLE_DESCRIPTIONS[r]}</dd>
          </div>
        ))}
      </dl>
      <div aria-live="polite">
        {state && !state.ok && !errors && <ActionMessage state={state} />}
        {state?.ok && (
          <Alert tone="success" title={`Invitation link for ${state.data.email}`}>
            <p>Send this link to them yourself. It works once and is shown only now.</p>
            <div className="mt-2 flex flex-wrap items-center gap-2">
              <input
                readOnly
                value={state.data.url}
                aria-label="Invitation link"
                data-testid="invitation-link"
                className={`${inputClasses} flex-1 font-mono text-xs`}
                onFocus={(e) => e.currentTarget.select()}
              />
              <Button
                variant="secondary"
                size="sm"
                onClick={async () => {
                  await navigator.clipboard.writeText(state.data.url).catch(() => undefined);
                  setCopied(true);
                }}
              >
                {copied ? "Copied" : "Copy link"}
              </Button>
            </div>
          </Alert>
        )}
      </div>
      {dialog}
    </div>
  );
}
