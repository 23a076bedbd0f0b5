"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { SudoForm } from "@/components/security/sudo-form";
import { deleteJobEnvVarAction, updateJobEnvVarAction } from "./actions";

/** Edit (name, value) and delete one variable (owners and admins, sudo). */
export function JobEnvRowControls({ id, name, value, label }: { id: string; name: string; value: string; label: string }) {
  const [mode, setMode] = useState<"idle" | "edit" | "delete">("idle");
  if (mode === "idle") {
    return (
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" onClick={() => setMode("edit")} aria-label={`Edit ${label}`}>
          Edit
        </Button>
        <Button size="sm" variant="ghost" className="text-red-700 dark:text-red-400" onClick={() => setMode("delete")} aria-label={`Delete ${label}`}>
          Delete
        </Button>
      </div>
    );
  }
  if (mode === "delete") {
    return (
      <div className="space-y-2 rounded-lg px-3 py-3 ring-1 ring-red-200 ring-inset dark:ring-red-900">
        <p className="text-sm">Delete {label}? Runs no longer get it.</p>
        <div className="flex flex-wrap items-start gap-2">
          <SudoForm action={deleteJobEnvVarAction} submitLabel="Delete" pendingLabel="Deleting…" variant="danger" ariaLabel={`Confirm deleting ${label}`} onDone={() => setMode("idle")}>
            {() => <input type="hidden" name="id" value={id} />}
          </SudoForm>
          <Button size="sm" variant="ghost" onClick={() => setMode("idle")}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="min-w-64 rounded-lg px-3 py-3 ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800">
      <SudoForm action={updateJobEnvVarAction} submitLabel="Save" pendingLabel="Saving…" variant="primary" ariaLabel={`Edit ${label}`} onDone={() => setMode("idle")}>
        {(r) => (
          <>
            <input type="hidden" name="id" value={id} />
            <Field name="name" label="Name" defaultValue={name} autoComplete="off" spellCheck={false} errors={r && !r.ok ? r.fieldErrors?.name : undefined} />
            <Field name="value" label="Value" defaultValue={value} autoComplete="off" spellCheck={false} errors={r && !r.ok ? r.fieldErrors?.value : undefined} />
          </>
        )}
      </SudoForm>
      <Button size="sm" variant="ghost" className="mt-2" onClick={() => setMode("idle")}>
        Cancel
      </Button>
    </div>
  );
}
