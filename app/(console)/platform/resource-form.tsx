"use client";
import { useActionState, useId } from "react";
import type { ActionResult, ActionState } from "@/lib/action-result";
import type { PublicResource } from "@/lib/resources/public-resource";
import type { FieldChoice, ResourceFormField } from "@/lib/validations/resources";
import { ActionMessage } from "@/components/security/action-message";
import { Field, inputClasses } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

type SaveAction = (prev: ActionState<PublicResource>, formData: FormData) => Promise<ActionResult<PublicResource>>;

/** The label, hint and error lines of one generated input, tied to it with aria-describedby. */
function Labelled({ id, field, errors, children }: { id: string; field: ResourceFormField; errors?: string[]; children: (describedBy: string | undefined) => React.ReactNode }) {
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {field.label}
        {!field.required && !field.defaultValue && <span className="ml-1 font-normal text-zinc-500 dark:text-zinc-400">(optional)</span>}
      </label>
      {children([hintId, errorId].filter(Boolean).join(" ") || undefined)}
      {hintId && (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {field.hint}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="text-xs font-medium text-red-600 dark:text-red-400">
          {errors?.join(" ")}
        </p>
      )}
    </div>
  );
}

/**
 * A select's choices. A reference or workspace the organization no longer has
 * is still offered under its stored value, so editing other fields keeps it.
 */
function choicesOf(field: ResourceFormField, options: FieldChoice[], value: string): FieldChoice[] {
  if (field.kind === "select") return (field.options ?? []).map((o) => ({ value: o, label: o }));
  const known = value === "" || options.some((o) => o.value === value);
  const missing = known ? [] : [{ value, label: field.kind === "workspace" ? `Unknown workspace (${value})` : value }];
  return [...options, ...missing].sort((a, b) => a.label.localeCompare(b.label));
}

function GeneratedInput({ field, value, errors, options, formId }: { field: ResourceFormField; value: string; errors?: string[]; options: FieldChoice[]; formId: string }) {
  const id = `${formId}-${field.name}`;
  const invalid = errors?.length ? true : undefined;
  if (field.kind === "text" || field.kind === "url" || field.kind === "number") {
    return (
      <Field
        id={id}
        name={field.name}
        label={field.required || field.defaultValue ? field.label : `${field.label} (optional)`}
        hint={field.hint}
        errors={errors}
        defaultValue={value}
        placeholder={field.placeholder}
        type={field.kind === "number" ? "number" : field.kind === "url" ? "url" : "text"}
        inputMode={field.kind === "number" ? (field.step === "1" ? "numeric" : "decimal") : undefined}
        min={field.min}
        max={field.max}
        step={field.step}
        maxLength={field.maxLength}
        autoComplete="off"
      />
    );
  }
  return (
    <Labelled id={id} field={field} errors={errors}>
      {(describedBy) =>
        field.kind === "textarea" ? (
          <textarea
            id={id}
            name={field.name}
            defaultValue={value}
            rows={field.maxLength && field.maxLength > 5000 ? 8 : 3}
            maxLength={field.maxLength}
            placeholder={field.placeholder}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            className={cn(inputClasses, "font-[inherit]")}
          />
        ) : (
          <select id={id} name={field.name} defaultValue={value} aria-invalid={invalid} aria-describedby={describedBy} className={inputClasses}>
            {field.kind === "reference" && <option value="">None</option>}
            {field.kind === "workspace" && <option value="">None (organization secrets only)</option>}
            {choicesOf(field, options, value).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )
      }
    </Labelled>
  );
}

/**
 * A create or edit form generated from the registry's fields. Field errors
 * appear next to their inputs; other outcomes in a live region. What was typed
 * survives a refused save (the action echoes the values).
 */
export function ResourceForm({
  type,
  label,
  fields,
  referenceOptions,
  action,
  resource,
  onDone,
  onCancel,
}: {
  type: string;
  label: string;
  fields: ResourceFormField[];
  referenceOptions: Record<string, FieldChoice[]>;
  action: SaveAction;
  /** The resource being edited; a new one when absent. */
  resource?: PublicResource;
  onDone: (saved: PublicResource, message?: string) => void;
  onCancel: () => void;
}) {
  // Told from the action itself: after a save the page is revalidated, and this form may be gone before an effect could run.
  const [state, formAction] = useActionState(async (prev: ActionState<PublicResource>, formData: FormData) => {
    const result = await action(prev, formData);
    if (result.ok) onDone(result.data, result.message);
    return result;
  }, null);
  const formId = `resource-form${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const echoed = state && !state.ok ? state.values : undefined;

  const initial = (name: string, fallback: string) => {
    if (echoed && name in echoed) return echoed[name];
    const current = resource?.[name];
    return resource ? (current === null || current === undefined ? "" : String(current)) : fallback;
  };
  const unplaced = errors ? Object.entries(errors).filter(([k]) => k !== "name" && !fields.some((f) => f.name === k)) : [];

  return (
    <form action={formAction} className="space-y-4" noValidate aria-label={resource ? `Edit ${resource.name}` : `New ${label.toLowerCase()}`}>
      <input type="hidden" name="type" value={type} />
      {resource && <input type="hidden" name="id" value={resource.id} />}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${formId}-name`}
          name="name"
          label="Name"
          hint="Unique among this organization's resources of this type."
          errors={errors?.name}
          defaultValue={initial("name", "")}
          required
          maxLength={100}
          autoComplete="off"
          autoFocus
        />
        {fields.map((f) => (
          <div key={f.name} className={f.kind === "textarea" ? "sm:col-span-2" : undefined}>
            <GeneratedInput field={f} value={initial(f.name, f.defaultValue)} errors={errors?.[f.name]} options={referenceOptions[f.name] ?? []} formId={formId} />
          </div>
        ))}
      </div>
      <div aria-live="polite" className="space-y-2">
        {state && !state.ok && (!errors || unplaced.length > 0) && <ActionMessage state={state} />}
        {unplaced.map(([k, messages]) => (
          <p key={k} className="text-xs text-red-600 dark:text-red-400">
            {messages.join(" ")}
          </p>
        ))}
        {errors && unplaced.length === 0 && <p className="text-sm text-red-700 dark:text-red-400">{state && !state.ok ? state.message : null}</p>}
      </div>
      <div className="flex flex-wrap gap-2">
        <SubmitButton pendingLabel={resource ? "Saving…" : "Creating…"}>{resource ? "Save changes" : `Create ${label.toLowerCase()}`}</SubmitButton>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
