"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ActionMessage } from "@/components/security/action-message";
import { ShownOnce } from "@/components/security/shown-once";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import { configureIntakeAction, deleteIntakeAction, type RevealedIntakeSecret } from "./intake-actions";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

const HOW: Record<string, string> = {
  github: "Paste it as the webhook's Secret in GitHub (content type application/json): GitHub signs with X-Hub-Signature-256.",
  gitea: "Paste it as the webhook's Secret in Gitea (POST, application/json): Gitea signs with X-Gitea-Signature.",
  standard: "Give it to the sender: it signs with the webhook-id, webhook-timestamp and webhook-signature headers.",
};

/** Set up, rotate (a new secret, the old one stops at once) or remove one provider's intake; each under sudo. */
export function IntakeControls({ provider, label, intakeId, url }: { provider: string; label: string; intakeId: string | null; url: string | null }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<"rotate" | "remove" | null>(null);
  const [revealed, setRevealed] = useState<(RevealedIntakeSecret & { url: string }) | null>(null);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [isPending, startTransition] = useTransition();
  const configure = useSudoAction(configureIntakeAction);
  const remove = useSudoAction(deleteIntakeAction);
  const pending = isPending && !configure[5] && !remove[5];

  const run = <T,>(call: (f: FormData) => Promise<ActionResult<T>>, fields: Record<string, string>, after?: (r: ActionResult<T>) => void) =>
    startTransition(async () => {
      setResult(null);
      const answer = await call(form(fields));
      setResult(answer.ok && after ? null : answer);
      if (answer.ok) {
        setConfirming(null);
        after?.(answer);
        router.refresh();
      }
    });

  if (revealed) {
    return (
      <ShownOnce
        title={`Copy the ${label} secret now`}
        explanation={
          <>
            {HOW[provider]} Gatehouse will not show it again; rotate it if you lose it.
          </>
        }
        note={
          <>
            Webhook URL: <code className="break-all">{revealed.url}</code>
            {revealed.created ? null : " (the previous secret no longer works)"}
          </>
        }
        value={revealed.secret}
        noun="secret"
        testId={`intake-secret-reveal-${provider}`}
        valueTestId={`intake-secret-${provider}`}
        onDone={() => setRevealed(null)}
      />
    );
  }

  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const reveal = (r: ActionResult<RevealedIntakeSecret>) => r.ok && setRevealed({ ...r.data, url: url ?? `${origin}${r.data.path}` });

  return (
    <div className="space-y-2">
      {confirming === null && (
        <div className="flex flex-wrap gap-2">
          {intakeId === null ? (
            <Button size="sm" disabled={pending} onClick={() => run(configure[4], { provider }, reveal)}>
              {pending ? "Setting up…" : `Set up ${label}`}
            </Button>
          ) : (
            <>
              <Button size="sm" variant="secondary" onClick={() => setConfirming("rotate")} aria-label={`Rotate the ${label} secret`}>
                Rotate secret
              </Button>
              <button
                type="button"
                className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50"
                onClick={() => setConfirming("remove")}
                aria-label={`Remove the ${label} intake`}
              >
                Remove
              </button>
            </>
          )}
        </div>
      )}
      {confirming === "rotate" && (
        <div className="space-y-2 rounded-lg bg-zinc-50 p-3 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">The current secret stops working at once: update the sender right after.</p>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" disabled={pending} onClick={() => run(configure[4], { provider }, reveal)}>
              {pending ? "Rotating…" : "Rotate secret"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {confirming === "remove" && intakeId && (
        <div className="space-y-2 rounded-lg bg-red-50 p-3 ring-1 ring-red-200 ring-inset dark:bg-red-950/40 dark:ring-red-900">
          <p className="text-sm text-red-800 dark:text-red-300">Remove this intake? Its URL answers 404 from then on.</p>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" variant="danger" disabled={pending} onClick={() => run(remove[4], { intakeId })}>
              Remove intake
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {result && <ActionMessage state={result} />}
      {configure[3]}
      {remove[3]}
    </div>
  );
}
