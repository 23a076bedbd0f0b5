"use client";
import { Card, CardHeader } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { setRequireTwoFactorAction } from "./actions";

export function PolicyCard({ orgName, required }: { orgName: string; required: boolean }) {
  const [state, , , dialog, call, asking] = useSudoAction(setRequireTwoFactorAction);
  return (
    <Card>
      <CardHeader title="Organization policy" description={`Applies to every member of ${orgName}. Only owners can change it.`} />
      <form
        action={async (formData) => {
          formData.set("required", formData.get("requiredBox") === "on" ? "true" : "false");
          formData.delete("requiredBox");
          await call(formData);
        }}
        className="space-y-4 px-5 py-4"
      >
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="requiredBox" defaultChecked={required} className="mt-0.5 size-4 rounded border-zinc-300 accent-brand-600" />
          <span>
            <span className="font-medium">Require two-factor authentication for everyone</span>
            <span className="block text-zinc-500 dark:text-zinc-400">Members without a second factor are sent to enrol right after they sign in.</span>
          </span>
        </label>
        <div aria-live="polite">
          <ActionMessage state={state} />
        </div>
        <SubmitButton variant="secondary" size="sm" pendingLabel="Saving…" idle={asking}>
          Save policy
        </SubmitButton>
      </form>
      {dialog}
    </Card>
  );
}
