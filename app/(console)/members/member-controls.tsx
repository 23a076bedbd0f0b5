"use client";
import { useActionState, useState } from "react";
import { RestoreTrustLink } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { SubmitButton } from "@/components/ui/submit-button";
import { Button } from "@/components/ui/button";
import { ROLE_LABELS, type Role } from "@/lib/permissions";
import { changeMemberRoleAction, removeMemberAction, revokeInvitationAction } from "./actions";

const selectClasses =
  "rounded-md border-0 bg-white py-1.5 pr-8 pl-2 text-sm ring-1 ring-zinc-300 ring-inset focus:ring-2 focus:ring-brand-500 dark:bg-zinc-900 dark:ring-zinc-700";

function ResultText({ state }: { state: { ok: boolean; code?: string; message?: string } | null }) {
  if (!state?.message) return null;
  return (
    <p role={state.ok ? "status" : "alert"} className={state.ok ? "text-xs text-emerald-700 dark:text-emerald-400" : "text-xs text-red-600 dark:text-red-400"}>
      {state.message}
      <RestoreTrustLink code={state.code} />
    </p>
  );
}

/** Role changes are sensitive: a missing sudo window opens the dialog, then the change is retried. */
export function RoleForm({ membershipId, role, roles, email }: { membershipId: string; role: Role; roles: Role[]; email: string }) {
  const [state, , , dialog, call, asking] = useSudoAction(changeMemberRoleAction);
  return (
    <form
      action={async (formData) => {
        await call(formData);
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="hidden" name="membershipId" value={membershipId} />
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role for {email}
      </label>
      <select id={`role-${membershipId}`} name="role" defaultValue={role} className={selectClasses}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <SubmitButton variant="secondary" size="sm" pendingLabel="Saving…" idle={asking}>
        Save
      </SubmitButton>
      <ResultText state={state} />
      {dialog}
    </form>
  );
}

/** Two-step removal (sudo): no browser confirm dialog, fully keyboard-usable. */
export function RemoveMemberForm({ membershipId, email }: { membershipId: string; email: string }) {
  const [state, , , dialog, call, asking] = useSudoAction(removeMemberAction);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <div className="flex items-center gap-2">
        <Button variant="ghost" size="sm" className="text-red-700 dark:text-red-400" onClick={() => setConfirming(true)} aria-label={`Remove ${email}`}>
          Remove
        </Button>
        <ResultText state={state} />
      </div>
    );
  }
  return (
    <form
      action={async (formData) => {
        await call(formData);
      }}
      className="flex flex-wrap items-center gap-2"
    >
      <input type="hidden" name="membershipId" value={membershipId} />
      <SubmitButton variant="danger" size="sm" pendingLabel="Removing…" idle={asking}>
        Confirm removal
      </SubmitButton>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      <ResultText state={state && !state.ok ? state : null} />
      {dialog}
    </form>
  );
}

export function RevokeInvitationForm({ invitationId, email }: { invitationId: string; email: string }) {
  const [state, formAction] = useActionState(revokeInvitationAction, null);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="invitationId" value={invitationId} />
      <SubmitButton variant="ghost" size="sm" pendingLabel="Revoking…" className="text-red-700 dark:text-red-400">
        <span aria-label={`Revoke invitation for ${email}`}>Revoke</span>
      </SubmitButton>
      <ResultText state={state && !state.ok ? state : null} />
    </form>
  );
}
