"use client";
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field, inputClasses } from "@/components/ui/field";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import { createWebhookEndpointAction, updateWebhookEndpointAction, type RevealedSecret } from "./actions";
import { SecretReveal } from "./secret-reveal";
import { ResourcePicker, type ResourceChoiceOption } from "./resource-picker";

export interface FamilyOption {
  type: string;
  label: string;
}

export interface EndpointFormValues {
  endpointId?: string;
  url: string;
  description: string;
  eventTypes: string[];
  resourceIds: string[];
  headerNames: string[];
}

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-600 dark:text-red-400">
      {errors.join(" ")}
    </p>
  );
}

/** The endpoint's settings: URL, description, event families, custom headers. Used to create and to edit. */
export function EndpointForm({
  families,
  choices,
  initial,
  onCancel,
  onDone,
}: {
  families: FamilyOption[];
  choices: ResourceChoiceOption[];
  initial?: EndpointFormValues;
  onCancel: () => void;
  onDone: (revealed: RevealedSecret | null) => void;
}) {
  const editing = Boolean(initial?.endpointId);
  const [, , , createDialog, create, askingCreate] = useSudoAction(createWebhookEndpointAction);
  const [, , , updateDialog, update, askingUpdate] = useSudoAction(updateWebhookEndpointAction);
  const [isPending, startTransition] = useTransition();
  const pending = isPending && !askingCreate && !askingUpdate;
  const [result, setResult] = useState<ActionResult<unknown> | null>(null);
  const [selected, setSelected] = useState<string[]>(initial?.eventTypes ?? []);
  const [resourceIds, setResourceIds] = useState<string[]>(initial?.resourceIds ?? []);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const prefix = initial?.endpointId ?? "new";

  return (
    <>
      <form
        noValidate
        className="space-y-5 px-5 py-4"
        aria-label={editing ? "Edit the endpoint" : "Create a webhook endpoint"}
        onSubmit={(e) => {
          if (e.target !== e.currentTarget) return;
          e.preventDefault();
          const formData = new FormData(e.currentTarget);
          formData.set("eventTypes", selected.join(" "));
          // Only resources of the chosen families (an id of another family could never match one of its events).
          const kept = resourceIds.filter((rid) => selected.length === 0 || selected.includes(choices.find((c) => c.id === rid)?.type ?? ""));
          formData.set("resourceIds", kept.join(" "));
          if (initial?.endpointId) formData.set("endpointId", initial.endpointId);
          startTransition(async () => {
            setResult(null);
            if (editing) {
              const answer = await update(formData);
              if (answer.ok) onDone(null);
              else setResult(answer);
            } else {
              const answer = await create(formData);
              if (answer.ok) onDone(answer.data);
              else setResult(answer);
            }
          });
        }}
      >
        <Field
          name="url"
          label="Endpoint URL"
          required
          defaultValue={initial?.url}
          maxLength={2048}
          placeholder="https://hooks.example.com/gatehouse"
          hint="https only. Every address the host resolves to is checked at each delivery: private and internal networks are refused."
          errors={errors.url}
          autoFocus
          className="max-w-xl"
        />
        <Field name="description" label="Description (optional)" defaultValue={initial?.description} maxLength={500} placeholder="Deploy pipeline" errors={errors.description} className="max-w-xl" />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Events</legend>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">Choose none to receive every event. Events are named like prop.created or api_key.revoked.</p>
          <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-4">
            {families.map((f) => (
              <label key={f.type} className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                <input
                  type="checkbox"
                  className="size-4 rounded border-zinc-300 dark:border-zinc-600"
                  checked={selected.includes(f.type)}
                  onChange={(e) => setSelected((s) => (e.target.checked ? [...s, f.type] : s.filter((x) => x !== f.type)))}
                />
                {f.label}
              </label>
            ))}
          </div>
          <ErrorText id={`${prefix}-events-error`} errors={errors.event_types} />
        </fieldset>
        <ResourcePicker choices={choices} families={selected} familyLabels={Object.fromEntries(families.map((f) => [f.type, f.label]))} selected={resourceIds} onChange={setResourceIds} />
        <ErrorText id={`${prefix}-resources-error`} errors={errors.resource_ids} />
        <div className="space-y-1.5">
          <label htmlFor={`${prefix}-headers`} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
            Custom headers (optional)
          </label>
          <textarea
            id={`${prefix}-headers`}
            name="headers"
            rows={2}
            placeholder="X-Team: platform"
            className={`${inputClasses} max-w-xl font-mono`}
            aria-describedby={`${prefix}-headers-hint`}
          />
          <p id={`${prefix}-headers-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
            One <code>Name: value</code> per line.{" "}
            {initial?.headerNames.length ? `Leave empty to keep the current ones (${initial.headerNames.join(", ")}); values are never shown.` : "Values are never shown again."}
          </p>
          {editing && Boolean(initial?.headerNames.length) && (
            <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
              <input type="checkbox" name="clearHeaders" className="size-4 rounded border-zinc-300 dark:border-zinc-600" />
              Remove the current headers
            </label>
          )}
          <ErrorText id={`${prefix}-headers-error`} errors={errors.headers} />
        </div>
        {result && !result.ok && !Object.keys(errors).length && <ActionMessage state={result} />}
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : editing ? "Save endpoint" : "Create endpoint"}
          </Button>
          <Button type="button" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </form>
      {createDialog}
      {updateDialog}
    </>
  );
}

/** The "Add an endpoint" card: a button until opened, then the form, then the secret once. */
export function CreateEndpointSection({ families, choices }: { families: FamilyOption[]; choices: ResourceChoiceOption[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  return (
    <Card>
      <CardHeader
        title="Add an endpoint"
        description="Gatehouse sends each event as a signed POST (Standard Webhooks), retries a failed delivery for about 28 hours, and disables endpoints that keep failing."
        actions={
          !open && !revealed ? (
            <Button size="sm" onClick={() => setOpen(true)}>
              New endpoint
            </Button>
          ) : undefined
        }
      />
      {revealed ? (
        <div className="px-5 py-4">
          <SecretReveal
            secret={revealed.secret}
            note={`For ${revealed.url}.`}
            onDone={() => {
              setRevealed(null);
              router.push(`/webhooks/${revealed.endpointId}`);
            }}
          />
        </div>
      ) : (
        open && (
          <EndpointForm
            families={families}
            choices={choices}
            onCancel={() => setOpen(false)}
            onDone={(r) => {
              setOpen(false);
              setRevealed(r);
            }}
          />
        )
      )}
    </Card>
  );
}
