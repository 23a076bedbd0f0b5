"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import {
  deleteWebhookEndpointAction,
  pauseWebhookEndpointAction,
  redeliverWebhookAction,
  resumeWebhookEndpointAction,
  rotateWebhookSecretAction,
  sendTestWebhookAction,
  type RevealedSecret,
} from "./actions";
import { EndpointForm, type EndpointFormValues, type FamilyOption } from "./endpoint-form";
import type { ResourceChoiceOption } from "./resource-picker";
import { SecretReveal } from "./secret-reveal";

type Mode = "idle" | "rotate" | "delete" | "edit" | "redeliver";

const GRACE_OPTIONS = [
  { hours: 0, label: "No grace: the old secret stops now" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "1 day (default)" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days (the longest)" },
];

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

/** Test send, pause/resume, edit, rotate and delete: each needs sudo and retries after the dialog. */
export function EndpointControls({ endpoint, families, choices }: { endpoint: EndpointFormValues & { endpointId: string; status: string }; families: FamilyOption[]; choices: ResourceChoiceOption[] }) {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("idle");
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [grace, setGrace] = useState("24");
  const [isPending, startTransition] = useTransition();
  const test = useSudoAction(sendTestWebhookAction);
  const pause = useSudoAction(pauseWebhookEndpointAction);
  const resume = useSudoAction(resumeWebhookEndpointAction);
  const rotate = useSudoAction(rotateWebhookSecretAction);
  const remove = useSudoAction(deleteWebhookEndpointAction);
  const redeliver = useSudoAction(redeliverWebhookAction);
  const asking = [test, pause, resume, rotate, remove, redeliver].some((a) => a[5]);
  const pending = isPending && !asking;
  const id = endpoint.endpointId;

  const run = (call: (f: FormData) => Promise<ActionResult<unknown>>, fields: Record<string, string>, after?: (r: ActionResult<unknown>) => void) =>
    startTransition(async () => {
      setResult(null);
      const answer = await call(form({ endpointId: id, ...fields }));
      setResult(answer);
      if (answer.ok) {
        setMode("idle");
        after?.(answer);
        router.refresh();
      }
    });

  if (revealed) {
    return (
      <SecretReveal
        secret={revealed.secret}
        note={grace === "0" ? "The old secret no longer signs." : "The old secret signs too (a second signature) until the grace period ends: update your receiver before then."}
        onDone={() => {
          setRevealed(null);
          router.refresh();
        }}
      />
    );
  }

  return (
    <div className="space-y-3">
      {mode === "idle" && (
        <div className="flex flex-wrap gap-2">
          {endpoint.status === "active" && (
            <Button size="sm" disabled={pending} onClick={() => run(test[4], {})}>
              Send test event
            </Button>
          )}
          {endpoint.status === "active" ? (
            <Button variant="secondary" size="sm" disabled={pending} onClick={() => run(pause[4], {})}>
              Pause
            </Button>
          ) : (
            <Button variant="secondary" size="sm" disabled={pending} onClick={() => run(resume[4], {})}>
              {endpoint.status === "disabled" ? "Re-enable" : "Resume"}
            </Button>
          )}
          <Button variant="secondary" size="sm" onClick={() => setMode("edit")}>
            Edit
          </Button>
          <Button variant="secondary" size="sm" onClick={() => setMode("rotate")}>
            Rotate secret
          </Button>
          {endpoint.status === "active" && (
            <Button variant="secondary" size="sm" onClick={() => setMode("redeliver")}>
              Redeliver failed…
            </Button>
          )}
          <button
            type="button"
            className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50"
            onClick={() => setMode("delete")}
          >
            Delete
          </button>
        </div>
      )}
      {mode === "edit" && (
        <div className="-mx-5 border-t border-zinc-200 dark:border-zinc-800">
          <EndpointForm
            families={families}
            choices={choices}
            initial={endpoint}
            onCancel={() => setMode("idle")}
            onDone={() => {
              setMode("idle");
              router.refresh();
            }}
          />
        </div>
      )}
      {mode === "rotate" && (
        <div className="space-y-3 rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800">
          <label htmlFor="rotate-grace" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Keep the old secret signing for
          </label>
          <select id="rotate-grace" value={grace} onChange={(e) => setGrace(e.target.value)} className={`${inputClasses} max-w-xs`}>
            {GRACE_OPTIONS.map((o) => (
              <option key={o.hours} value={String(o.hours)}>
                {o.label}
              </option>
            ))}
          </select>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" disabled={pending} onClick={() => run(rotate[4], { graceHours: grace }, (r) => r.ok && setRevealed(r.data as RevealedSecret))}>
              {pending ? "Rotating…" : "Rotate secret"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("idle")}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {mode === "redeliver" && (
        <div className="space-y-3 rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800">
          <p className="text-sm text-zinc-700 dark:text-zinc-300">Send every failed delivery of the last 24 hours again (each is tried once).</p>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" disabled={pending} onClick={() => run(redeliver[4], { sinceHours: "24" })}>
              Redeliver failed
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("idle")}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {mode === "delete" && (
        <div className="space-y-3 rounded-lg bg-red-50 p-4 ring-1 ring-red-200 ring-inset dark:bg-red-950/40 dark:ring-red-900">
          <p className="text-sm text-red-800 dark:text-red-300">Delete this endpoint and its delivery history? Queued deliveries are dropped.</p>
          <div className="flex flex-wrap gap-2">
            <Button size="sm" variant="danger" disabled={pending} onClick={() => run(remove[4], {}, () => router.push("/webhooks"))}>
              Delete endpoint
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("idle")}>
              Cancel
            </Button>
          </div>
        </div>
      )}
      {result && <ActionMessage state={result} />}
      {test[3]}
      {pause[3]}
      {resume[3]}
      {rotate[3]}
      {remove[3]}
      {redeliver[3]}
    </div>
  );
}

/** "Redeliver" for one delivery (sudo). */
export function RedeliverButton({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const router = useRouter();
  const [, , , dialog, call, asking] = useSudoAction(redeliverWebhookAction);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        size="sm"
        variant="secondary"
        disabled={isPending && !asking}
        onClick={() =>
          startTransition(async () => {
            const answer = await call(form({ endpointId, deliveryId }));
            setResult(answer);
            if (answer.ok) router.refresh();
          })
        }
      >
        Redeliver
      </Button>
      {result && <ActionMessage state={result} />}
      {dialog}
    </span>
  );
}
