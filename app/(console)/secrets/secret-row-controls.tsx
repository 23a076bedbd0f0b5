"use client";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SelectField } from "@/components/ui/select-field";
import { SudoForm } from "@/components/security/sudo-form";
import { SECRET_CATEGORIES, SECRET_CATEGORY_LABELS } from "@/lib/validations/secrets";
import { deleteSecretAction, revealSecretAction, setRotationPolicyAction, updateSecretAction } from "./actions";

const REVEAL_SECONDS = 30;

/** A revealed value, shown for 30 seconds with a copy button, then gone from the page. */
function RevealedValue({ name, value, onHide }: { name: string; value: string; onHide: () => void }) {
  const [left, setLeft] = useState(REVEAL_SECONDS);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => setLeft((s) => s - 1), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onHide();
  }, [left, onHide]);
  return (
    <div className="space-y-2 rounded-lg bg-amber-50 px-3 py-3 ring-1 ring-amber-200 ring-inset dark:bg-amber-950/40 dark:ring-amber-900" role="status">
      <p className="text-xs text-amber-900 dark:text-amber-200">
        Value of {name}, hidden in {left} s. This reveal was recorded in the audit log.
      </p>
      <code data-testid="revealed-value" className="block max-h-40 overflow-auto rounded bg-white px-2 py-1 font-mono text-sm break-all whitespace-pre-wrap text-zinc-900 ring-1 ring-zinc-200 dark:bg-zinc-950 dark:text-zinc-100 dark:ring-zinc-800">
        {value}
      </code>
      <div className="flex gap-2">
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(value);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" variant="ghost" onClick={onHide}>
          Hide now
        </Button>
      </div>
    </div>
  );
}

type Mode = "idle" | "edit" | "rotation" | "delete";

/** Reveal (sudo), edit and delete (owners and admins, sudo) for one secret. */
export function SecretRowControls({
  id,
  name,
  category,
  description,
  rotation,
  canReveal,
  canWrite,
}: {
  id: string;
  name: string;
  category: string;
  description: string;
  rotation: { intervalDays: number | null; notifyBeforeDays: number | null };
  canReveal: boolean;
  canWrite: boolean;
}) {
  const [revealed, setRevealed] = useState<string | null>(null);
  const [mode, setMode] = useState<Mode>("idle");
  return (
    <div className="space-y-2">
      {revealed !== null ? (
        <RevealedValue name={name} value={revealed} onHide={() => setRevealed(null)} />
      ) : (
        <div className="flex flex-wrap gap-2">
          {canReveal && (
            <SudoForm action={revealSecretAction} submitLabel="Reveal" pendingLabel="Revealing…" showSuccess={false} ariaLabel={`Reveal ${name}`} onDone={(r) => setRevealed(r.data.value)}>
              {() => <input type="hidden" name="id" value={id} />}
            </SudoForm>
          )}
          {canWrite && mode === "idle" && (
            <>
              <Button size="sm" variant="secondary" onClick={() => setMode("edit")} aria-label={`Edit ${name}`}>
                Edit
              </Button>
              <Button size="sm" variant="secondary" onClick={() => setMode("rotation")} aria-label={`Rotation policy of ${name}`}>
                Rotation
              </Button>
              <Button size="sm" variant="ghost" className="text-red-700 dark:text-red-400" onClick={() => setMode("delete")} aria-label={`Delete ${name}`}>
                Delete
              </Button>
            </>
          )}
        </div>
      )}
      {mode === "edit" && (
        <div className="rounded-lg px-3 py-3 ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800">
          <SudoForm action={updateSecretAction} submitLabel="Save" pendingLabel="Saving…" variant="primary" ariaLabel={`Edit ${name}`} onDone={() => setMode("idle")}>
            {(r) => (
              <>
                <input type="hidden" name="id" value={id} />
                <Field name="secret" label="New value" type="password" autoComplete="off" hint="Leave empty to keep the current value." errors={r && !r.ok ? r.fieldErrors?.value : undefined} />
                <SelectField label="Category" name="category" defaultValue={category}>
                  {SECRET_CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {SECRET_CATEGORY_LABELS[c]}
                    </option>
                  ))}
                </SelectField>
                <Field name="description" label="Description" defaultValue={description} errors={r && !r.ok ? r.fieldErrors?.description : undefined} />
              </>
            )}
          </SudoForm>
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setMode("idle")}>
            Cancel
          </Button>
        </div>
      )}
      {mode === "rotation" && (
        <div className="rounded-lg px-3 py-3 ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800">
          <SudoForm action={setRotationPolicyAction} submitLabel="Save policy" pendingLabel="Saving…" variant="primary" ariaLabel={`Rotation policy of ${name}`} onDone={() => setMode("idle")}>
            {(r) => (
              <>
                <input type="hidden" name="id" value={id} />
                <Field name="intervalDays" label="Rotate every (days)" inputMode="numeric" defaultValue={rotation.intervalDays ?? ""} placeholder="30" hint="Empty: no policy." errors={r && !r.ok ? r.fieldErrors?.intervalDays : undefined} />
                <Field name="notifyBeforeDays" label="Notify before (days)" inputMode="numeric" defaultValue={rotation.notifyBeforeDays ?? ""} placeholder="7" errors={r && !r.ok ? r.fieldErrors?.notifyBeforeDays : undefined} />
              </>
            )}
          </SudoForm>
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setMode("idle")}>
            Cancel
          </Button>
        </div>
      )}
      {mode === "delete" && (
        <div className="rounded-lg bg-red-50 px-3 py-3 ring-1 ring-red-200 ring-inset dark:bg-red-950/40 dark:ring-red-900">
          <p className="mb-2 text-sm text-red-800 dark:text-red-200">Delete {name}? Jobs that use it stop getting it; a broader secret with the same name takes over, if there is one.</p>
          <SudoForm action={deleteSecretAction} submitLabel={`Delete ${name}`} pendingLabel="Deleting…" variant="danger" ariaLabel={`Confirm deleting ${name}`}>
            {() => <input type="hidden" name="id" value={id} />}
          </SudoForm>
          <Button size="sm" variant="ghost" className="mt-2" onClick={() => setMode("idle")}>
            Cancel
          </Button>
        </div>
      )}
    </div>
  );
}
