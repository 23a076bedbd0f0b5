"use client";
import { useState, useTransition } from "react";
import { ClientForm } from "@/components/ui/client-form";
import { useRouter } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import { createApiKeyAction, type RevealedKey } from "./actions";
import { ScopePicker } from "./scope-picker";
import { RestrictionsPicker, type RestrictionChoice } from "./restrictions-picker";
import { NewKeyReveal } from "./new-key-reveal";
import type { ResourceGroup, ResourceOption } from "./key-view";

const PRESET_DAYS = [7, 30, 90, 180, 365] as const;
const DAY = 86_400_000;

export interface RateLimitInfo {
  defaultPerMinute: number;
  maxPerMinute: number;
}

interface Props {
  allowedScopes: string[];
  roleLabel: string;
  resources: ResourceGroup[];
  agents: ResourceOption[];
  maxLifetimeDays: number | null;
  /** Present for owners and admins, who may set a rate-limit override. */
  rateLimit: RateLimitInfo | null;
}

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-600 dark:text-red-400">
      {errors.join(" ")}
    </p>
  );
}

function defaultExpiry(max: number | null): string {
  const fitting = [90, 30, 7].find((d) => max === null || d <= max);
  return fitting ? String(fitting) : "custom";
}

/** The "Create API key" card: a button until opened, then the form, then the new key once. */
export function CreateKeySection(props: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [revealed, setRevealed] = useState<RevealedKey | null>(null);
  return (
    <Card>
      <CardHeader
        title="Create an API key"
        description="The key acts as you: its scopes are limited by your role, now and whenever your role changes."
        actions={
          !open && !revealed ? (
            <Button size="sm" onClick={() => setOpen(true)}>
              New API key
            </Button>
          ) : undefined
        }
      />
      {revealed ? (
        <div className="px-5 py-4">
          <NewKeyReveal
            name={revealed.name}
            raw={revealed.raw}
            note={revealed.expiresAt ? `It expires ${revealed.expiresAt.slice(0, 16).replace("T", " ")} UTC.` : "It never expires: revoke it when it is no longer needed."}
            onDone={() => {
              setRevealed(null);
              router.refresh();
            }}
          />
        </div>
      ) : (
        open && (
          <CreateKeyForm
            {...props}
            onCancel={() => setOpen(false)}
            onCreated={(key) => {
              setOpen(false);
              setRevealed(key);
            }}
          />
        )
      )}
    </Card>
  );
}

function CreateKeyForm({ allowedScopes, roleLabel, resources, agents, maxLifetimeDays, rateLimit, onCancel, onCreated }: Props & { onCancel: () => void; onCreated: (key: RevealedKey) => void }) {
  const [, , , dialog, call, asking] = useSudoAction(createApiKeyAction);
  const [isPending, startTransition] = useTransition();
  const pending = isPending && !asking;
  const [result, setResult] = useState<ActionResult<RevealedKey> | null>(null);
  const [scopes, setScopes] = useState<string[]>([]);
  const [restrictions, setRestrictions] = useState<RestrictionChoice>({});
  const [expiry, setExpiry] = useState(defaultExpiry(maxLifetimeDays));
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const minDate = new Date(Date.now() + DAY).toISOString().slice(0, 10);

  return (
    <>
      <ClientForm
        noValidate
        className="space-y-5 px-5 py-4"
        aria-label="Create an API key"
        onData={(formData) => {
          formData.set("scopes", scopes.join(" "));
          formData.set("restrictions", JSON.stringify(restrictions));
          startTransition(async () => {
            setResult(null);
            const answer = await call(formData);
            if (answer.ok) onCreated(answer.data);
            else setResult(answer);
          });
        }}
      >
        <Field name="name" label="Name" required maxLength={100} placeholder="CI deploys" hint="What uses the key, so you recognise it later." errors={errors.name} autoFocus className="max-w-md" />

        <div className="space-y-1.5">
          <ScopePicker allowed={allowedScopes} roleLabel={roleLabel} selected={scopes} onChange={setScopes} invalid={Boolean(errors.scopes)} errorId={errors.scopes ? "create-scopes-error" : undefined} />
          <ErrorText id="create-scopes-error" errors={errors.scopes} />
        </div>

        <RestrictionsPicker groups={resources} value={restrictions} onChange={setRestrictions} idPrefix="create" errors={errors.restrictions} />

        <div className="grid gap-4 sm:grid-cols-2">
          <div className="space-y-1.5">
            <label htmlFor="create-expiry" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
              Expires
            </label>
            <select
              id="create-expiry"
              name="expiry"
              value={expiry}
              onChange={(e) => setExpiry(e.target.value)}
              className={inputClasses}
              aria-invalid={errors.expiresAt ? true : undefined}
              aria-describedby={["create-expiry-hint", errors.expiresAt ? "create-expiry-error" : ""].filter(Boolean).join(" ")}
            >
              {PRESET_DAYS.map((d) => (
                <option key={d} value={String(d)} disabled={maxLifetimeDays !== null && d > maxLifetimeDays}>
                  {d === 365 ? "In 1 year" : `In ${d} days`}
                  {d === 90 ? " (default)" : ""}
                  {maxLifetimeDays !== null && d > maxLifetimeDays ? " (over the maximum)" : ""}
                </option>
              ))}
              <option value="custom">On a date…</option>
              <option value="never" disabled={maxLifetimeDays !== null}>
                Never{maxLifetimeDays !== null ? " (not allowed here)" : ""}
              </option>
            </select>
            <p id="create-expiry-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
              {maxLifetimeDays !== null ? `Your organization allows keys to live at most ${maxLifetimeDays} days.` : "Short-lived keys limit the damage of a leak."}
            </p>
            <ErrorText id="create-expiry-error" errors={errors.expiresAt} />
          </div>
          {expiry === "custom" && (
            <Field
              name="expiresOn"
              type="date"
              label="Expiry date"
              min={minDate}
              required
              hint="The key stops working at 00:00 UTC on this day."
              errors={errors.expiresOn}
            />
          )}
        </div>
        {expiry === "never" && (
          <Alert tone="warning" title="This key will never expire">
            It keeps working until someone revokes it, even if it leaks unnoticed. Prefer an expiry and roll the key when it comes near.
          </Alert>
        )}

        <div className="space-y-1.5">
          <label htmlFor="create-cidrs" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Allowed networks (optional)
          </label>
          <textarea
            id="create-cidrs"
            name="allowedCidrs"
            rows={2}
            placeholder={"203.0.113.0/24\n2001:db8::/48"}
            className={`${inputClasses} font-mono`}
            aria-invalid={errors.allowedCidrs ? true : undefined}
            aria-describedby={["create-cidrs-hint", errors.allowedCidrs ? "create-cidrs-error" : ""].filter(Boolean).join(" ")}
          />
          <p id="create-cidrs-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
            Addresses or CIDR ranges, one per line. Empty: the key works from anywhere.
          </p>
          <ErrorText id="create-cidrs-error" errors={errors.allowedCidrs} />
        </div>

        <div className="grid gap-4 sm:grid-cols-2">
          {rateLimit && (
            <Field
              name="rateLimitPerMinute"
              label="Rate limit override (optional)"
              inputMode="numeric"
              placeholder={String(rateLimit.defaultPerMinute)}
              hint={`Requests a minute. Default ${rateLimit.defaultPerMinute}; at most ${rateLimit.maxPerMinute} (100× the default). Empty, zero or negative keeps the default.`}
              errors={errors.rateLimitPerMinute}
            />
          )}
          {agents.length > 0 && (
            <div className="space-y-1.5">
              <label htmlFor="create-agent" className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
                Issued to an agent (optional)
              </label>
              <select id="create-agent" name="agentId" defaultValue="" className={inputClasses} aria-describedby="create-agent-hint">
                <option value="">No agent: requests are audited as this key</option>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
              <p id="create-agent-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
                Requests with the key are audited as the agent.
              </p>
              <ErrorText id="create-agent-error" errors={errors.agentId} />
            </div>
          )}
        </div>

        <div aria-live="polite">{result && !result.ok && <ActionMessage state={result} />}</div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending} aria-disabled={pending}>
            {pending ? (
              <>
                <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" />
                Creating…
              </>
            ) : (
              "Create key"
            )}
          </Button>
          <Button variant="ghost" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
        </div>
      </ClientForm>
      {dialog}
    </>
  );
}
