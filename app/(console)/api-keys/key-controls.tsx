"use client";
import { useState, useTransition } from "react";
import { ClientForm } from "@/components/ui/client-form";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import { formatDateTime } from "@/lib/format";
import { revokeApiKeyAction, rollApiKeyAction, updateApiKeyAction, type RevealedKey } from "./actions";
import { NewKeyReveal } from "./new-key-reveal";
import { RestrictionsPicker, type RestrictionChoice } from "./restrictions-picker";
import type { RateLimitInfo } from "./create-key-form";
import type { KeyView, ResourceGroup } from "./key-view";

type Mode = "idle" | "revoke" | "roll" | "edit";

const GRACE_OPTIONS = [
  { hours: 0, label: "No grace: the old key stops now" },
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days (the longest)" },
];

function Spinner() {
  return <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" />;
}

/** Revoke (with confirmation), roll with a grace period, and edit: each needs sudo, and retries after the dialog. */
export function KeyControls({ k, resources, rateLimit }: { k: KeyView; resources: ResourceGroup[]; rateLimit: RateLimitInfo | null }) {
  const [mode, setMode] = useState<Mode>("idle");
  const [revealed, setRevealed] = useState<RevealedKey | null>(null);
  const [done, setDone] = useState<ActionResult | null>(null);
  const router = useRouter();

  if (revealed) {
    return (
      <NewKeyReveal
        name={revealed.name}
        raw={revealed.raw}
        note={
          revealed.oldKeyExpiresAt && new Date(revealed.oldKeyExpiresAt) > new Date()
            ? `The old key (${k.prefix}…) keeps working until ${formatDateTime(new Date(revealed.oldKeyExpiresAt))}; switch your clients to the new one before then.`
            : `The old key (${k.prefix}…) no longer works.`
        }
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
          <Button variant="secondary" size="sm" onClick={() => setMode("edit")} aria-label={`Edit ${k.name}`}>
            Edit
          </Button>
          {!k.rolled && (
            <Button variant="secondary" size="sm" onClick={() => setMode("roll")} aria-label={`Roll ${k.name}`}>
              Roll
            </Button>
          )}
          <button
            type="button"
            className="inline-flex h-8 items-center rounded-md px-3 text-sm font-medium text-red-700 transition-colors hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950/50"
            onClick={() => setMode("revoke")}
            aria-label={`Revoke ${k.name}`}
          >
            Revoke
          </button>
        </div>
      )}
      {mode === "revoke" && <RevokeForm k={k} onClose={() => setMode("idle")} />}
      {mode === "roll" && (
        <RollForm
          k={k}
          onClose={() => setMode("idle")}
          onRolled={(key) => {
            setMode("idle");
            setRevealed(key);
          }}
        />
      )}
      {mode === "edit" && (
        <EditForm
          k={k}
          resources={resources}
          rateLimit={rateLimit}
          onClose={(result) => {
            setMode("idle");
            setDone(result);
          }}
        />
      )}
      {mode === "idle" && done && (
        <div aria-live="polite">
          <ActionMessage state={done} />
        </div>
      )}
    </div>
  );
}

function RevokeForm({ k, onClose }: { k: KeyView; onClose: () => void }) {
  const [, , , dialog, call, asking] = useSudoAction(revokeApiKeyAction);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const pending = isPending && !asking;
  return (
    <>
      <ClientForm
        className="space-y-2 rounded-lg bg-red-50 px-3 py-3 ring-1 ring-red-200 ring-inset dark:bg-red-950/40 dark:ring-red-900"
        onData={(formData) => {
          startTransition(async () => setResult(await call(formData)));
        }}
      >
        <input type="hidden" name="keyId" value={k.id} />
        <p className="text-sm text-red-900 dark:text-red-200">
          Revoke <strong>{k.name}</strong> ({k.prefix}…)? Every request with it is refused from now on. This cannot be undone.
        </p>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="danger" size="sm" disabled={pending}>
            {pending ? (
              <>
                <Spinner /> Revoking…
              </>
            ) : (
              "Confirm revocation"
            )}
          </Button>
          <Button variant="ghost" size="sm" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </div>
        <div aria-live="polite">{result && !result.ok && <ActionMessage state={result} />}</div>
      </ClientForm>
      {dialog}
    </>
  );
}

function RollForm({ k, onClose, onRolled }: { k: KeyView; onClose: () => void; onRolled: (key: RevealedKey) => void }) {
  const [, , , dialog, call, asking] = useSudoAction(rollApiKeyAction);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult<RevealedKey> | null>(null);
  const pending = isPending && !asking;
  const graceId = `grace-${k.id}`;
  return (
    <>
      <ClientForm
        className="space-y-3 rounded-lg bg-zinc-50 px-3 py-3 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800"
        onData={(formData) => {
          startTransition(async () => {
            const answer = await call(formData);
            if (answer.ok) onRolled(answer.data);
            else setResult(answer);
          });
        }}
      >
        <input type="hidden" name="keyId" value={k.id} />
        <p className="text-sm">
          Rolling issues a new key with the same settings and shows it once. The old key keeps working during the grace period, so clients can switch without downtime.
        </p>
        <div className="max-w-xs space-y-1.5">
          <label htmlFor={graceId} className="block text-sm font-medium">
            Grace period
          </label>
          <select id={graceId} name="graceHours" defaultValue="24" className={inputClasses}>
            {GRACE_OPTIONS.map((o) => (
              <option key={o.hours} value={o.hours}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" size="sm" disabled={pending}>
            {pending ? (
              <>
                <Spinner /> Rolling…
              </>
            ) : (
              "Roll key"
            )}
          </Button>
          <Button variant="ghost" size="sm" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
        </div>
        <div aria-live="polite">{result && !result.ok && <ActionMessage state={result} />}</div>
      </ClientForm>
      {dialog}
    </>
  );
}

function EditForm({ k, resources, rateLimit, onClose }: { k: KeyView; resources: ResourceGroup[]; rateLimit: RateLimitInfo | null; onClose: (result: ActionResult | null) => void }) {
  const [, , , dialog, call, asking] = useSudoAction(updateApiKeyAction);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const [restrictions, setRestrictions] = useState<RestrictionChoice>(() => Object.fromEntries(k.restrictions.map((r) => [r.type, r.items.map((i) => i.id)])));
  const pending = isPending && !asking;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const cidrsId = `cidrs-${k.id}`;
  return (
    <>
      <ClientForm
        noValidate
        aria-label={`Edit ${k.name}`}
        className="space-y-4 rounded-lg bg-zinc-50 px-3 py-3 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800"
        onData={(formData) => {
          formData.set("restrictions", JSON.stringify(restrictions));
          startTransition(async () => {
            const answer = await call(formData);
            if (answer.ok) onClose(answer);
            else setResult(answer);
          });
        }}
      >
        <input type="hidden" name="keyId" value={k.id} />
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Scopes and expiry cannot change: create a new key for those.</p>
        <Field name="name" label="Name" defaultValue={k.name} maxLength={100} required errors={errors.name} />
        <RestrictionsPicker groups={resources} value={restrictions} onChange={setRestrictions} idPrefix={`edit-${k.id}`} errors={errors.restrictions} />
        <div className="space-y-1.5">
          <label htmlFor={cidrsId} className="block text-sm font-medium">
            Allowed networks
          </label>
          <textarea
            id={cidrsId}
            name="allowedCidrs"
            rows={2}
            defaultValue={k.allowedCidrs.join("\n")}
            className={`${inputClasses} font-mono`}
            aria-invalid={errors.allowedCidrs ? true : undefined}
            aria-describedby={errors.allowedCidrs ? `${cidrsId}-error` : `${cidrsId}-hint`}
          />
          <p id={`${cidrsId}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
            One address or CIDR range per line; empty allows any network.
          </p>
          {errors.allowedCidrs && (
            <p id={`${cidrsId}-error`} className="text-xs font-medium text-red-600 dark:text-red-400">
              {errors.allowedCidrs.join(" ")}
            </p>
          )}
        </div>
        {rateLimit && (
          <Field
            name="rateLimitPerMinute"
            label="Rate limit override"
            inputMode="numeric"
            defaultValue={k.rateLimitPerMinute === null ? "" : String(k.rateLimitPerMinute)}
            placeholder={String(rateLimit.defaultPerMinute)}
            hint={`Requests a minute; empty, zero or negative restores the default of ${rateLimit.defaultPerMinute}; at most ${rateLimit.maxPerMinute}.`}
            errors={errors.rateLimitPerMinute}
          />
        )}
        <div aria-live="polite">{result && !result.ok && <ActionMessage state={result} />}</div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" size="sm" disabled={pending}>
            {pending ? (
              <>
                <Spinner /> Saving…
              </>
            ) : (
              "Save changes"
            )}
          </Button>
          <Button variant="ghost" size="sm" onClick={() => onClose(null)} disabled={pending}>
            Cancel
          </Button>
        </div>
      </ClientForm>
      {dialog}
    </>
  );
}
