"use client";
import { Card, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { changePasswordAction } from "./actions";

export function PasswordCard() {
  const [state, , , dialog, call, asking] = useSudoAction(changePasswordAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <Card>
      <CardHeader title="Password" description="Changing it makes your other sessions untrusted until they confirm it's you." />
      <form
        action={async (formData) => {
          await call(formData);
        }}
        className="max-w-md space-y-4 px-5 py-4"
      >
        <Field name="newPassword" label="New password" type="password" autoComplete="new-password" required minLength={12} hint="At least 12 characters." errors={errors?.newPassword} />
        <Field name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required errors={errors?.confirmPassword} />
        <label className="flex items-start gap-2 text-sm text-zinc-700 dark:text-zinc-300">
          <input type="checkbox" name="signOutOthers" className="mt-0.5 size-4 rounded border-zinc-300 dark:border-zinc-700" />
          <span>
            Sign out everywhere else
            <span className="block text-xs text-zinc-500 dark:text-zinc-400">Ends every other session of your account instead of asking it to confirm it&apos;s you.</span>
          </span>
        </label>
        <div aria-live="polite">
          <ActionMessage state={state && (state.ok || !errors) ? state : null} />
        </div>
        <SubmitButton pendingLabel="Changing…" idle={asking}>Change password</SubmitButton>
      </form>
      {dialog}
    </Card>
  );
}
