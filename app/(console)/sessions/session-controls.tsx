"use client";
import { useSudoAction } from "@/components/security/use-sudo-action";
import { ActionMessage } from "@/components/security/action-message";
import { Button } from "@/components/ui/button";
import { revokeOtherSessionsAction, revokeSessionAction } from "./actions";

export function RevokeSessionButton({ sessionId, label }: { sessionId: string; label: string }) {
  const [state, run, pending, dialog] = useSudoAction(revokeSessionAction);
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        variant="secondary"
        size="sm"
        disabled={pending}
        aria-label={label}
        onClick={() => {
          const fd = new FormData();
          fd.set("sessionId", sessionId);
          run(fd);
        }}
      >
        {pending ? "Revoking…" : "Revoke"}
      </Button>
      {state && !state.ok && <ActionMessage state={state} />}
      {dialog}
    </div>
  );
}

export function RevokeOthersButton({ others }: { others: number }) {
  const [state, run, pending, dialog] = useSudoAction(revokeOtherSessionsAction);
  return (
    <div className="space-y-2">
      <Button variant="danger" size="sm" disabled={pending || others === 0} onClick={() => run(new FormData())}>
        {pending ? "Signing out…" : "Sign out all other sessions"}
      </Button>
      <div aria-live="polite">
        <ActionMessage state={state} />
      </div>
      {dialog}
    </div>
  );
}
