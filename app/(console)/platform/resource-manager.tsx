"use client";
import { useActionState, useEffect, useState, useTransition } from "react";
import type { ActionState } from "@/lib/action-result";
import type { PublicResource } from "@/lib/resources/public-resource";
import type { FieldChoice, ResourceFormField } from "@/lib/validations/resources";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { Alert } from "@/components/ui/alert";
import { ActionMessage } from "@/components/security/action-message";
import { formatDateTime } from "@/lib/format";
import { createResourceAction, deleteResourceAction, loadMoreResourcesAction, updateResourceAction } from "./actions";
import { ResourceForm } from "./resource-form";

export interface ResourceTypeView {
  type: string;
  label: string;
  labelPlural: string;
  fields: ResourceFormField[];
  columns: { name: string; label: string }[];
  referenceOptions: Record<string, FieldChoice[]>;
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  const text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Two-step delete: the first button asks, the second (focused) confirms. Keyboard-only friendly, no browser dialog. */
function DeleteControl({ view, resource, onDeleted }: { view: ResourceTypeView; resource: PublicResource; onDeleted: (message?: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  // Told from the action itself: the revalidated list no longer has this row to run an effect in.
  const [state, formAction] = useActionState(async (prev: ActionState<{ id: string }>, formData: FormData) => {
    const result = await deleteResourceAction(prev, formData);
    if (result.ok) onDeleted(result.message);
    return result;
  }, null);
  if (!confirming) {
    return (
      <Button variant="ghost" size="sm" className="text-red-700 dark:text-red-400" onClick={() => setConfirming(true)} aria-label={`Delete ${resource.name}`}>
        Delete
      </Button>
    );
  }
  return (
    <form action={formAction} className="flex w-full flex-wrap items-center gap-2 sm:w-auto" aria-label={`Confirm deleting ${resource.name}`}>
      <input type="hidden" name="type" value={view.type} />
      <input type="hidden" name="id" value={resource.id} />
      <span className="text-sm text-zinc-700 dark:text-zinc-300">
        Delete {view.label.toLowerCase()} <strong>{resource.name}</strong>?{view.type === "agent" && " The API keys issued to it are revoked with it."}
      </span>
      <SubmitButton variant="danger" size="sm" pendingLabel="Deleting…">
        Delete {resource.name}
      </SubmitButton>
      <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
        Cancel
      </Button>
      {state && !state.ok && (
        <div className="w-full">
          <ActionMessage state={state} />
        </div>
      )}
    </form>
  );
}

function ResourceRowView({ view, resource, canWrite, onChanged }: { view: ResourceTypeView; resource: PublicResource; canWrite: boolean; onChanged: (message?: string) => void }) {
  const [editing, setEditing] = useState(false);
  return (
    <li className="px-5 py-3.5" data-testid={`resource-${resource.name}`}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-56">
          <p className="truncate text-sm font-medium">{resource.name}</p>
          <dl className="mt-0.5 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-zinc-500 dark:text-zinc-400">
            {view.columns.map((c) => (
              <div key={c.name} className="flex min-w-0 gap-1">
                <dt>{c.label}:</dt>
                <dd className="truncate text-zinc-700 dark:text-zinc-300">{shown(resource[c.name])}</dd>
              </div>
            ))}
            <div className="flex gap-1">
              <dt>Updated</dt>
              <dd>{formatDateTime(new Date(resource.updated_at))}</dd>
            </div>
          </dl>
        </div>
        {canWrite && !editing && (
          <div className="flex flex-wrap items-center gap-1">
            <Button variant="secondary" size="sm" onClick={() => setEditing(true)} aria-label={`Edit ${resource.name}`} aria-expanded={false}>
              Edit
            </Button>
            <DeleteControl view={view} resource={resource} onDeleted={onChanged} />
          </div>
        )}
      </div>
      {editing && (
        <div className="mt-4 rounded-lg bg-zinc-50 p-4 ring-1 ring-zinc-200 dark:bg-zinc-950/40 dark:ring-zinc-800">
          <ResourceForm
            type={view.type}
            label={view.label}
            fields={view.fields}
            referenceOptions={view.referenceOptions}
            action={updateResourceAction}
            resource={resource}
            onDone={(_saved, message) => {
              setEditing(false);
              onChanged(message);
            }}
            onCancel={() => setEditing(false)}
          />
        </div>
      )}
    </li>
  );
}

/**
 * A type's resources: the first page comes from the server; "Load more"
 * appends the next by cursor. Create, edit and delete revalidate the page, so
 * the first page is always fresh after a change.
 */
export function ResourceManager({
  view,
  initial,
  canWrite,
  readOnlyReason,
  emptyState,
}: {
  view: ResourceTypeView;
  initial: { data: PublicResource[]; nextCursor: string | null };
  canWrite: boolean;
  readOnlyReason: string | null;
  emptyState: React.ReactNode;
}) {
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [more, setMore] = useState<{ data: PublicResource[]; nextCursor: string | null } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, startLoading] = useTransition();

  // A revalidated first page replaces what was loaded after it.
  useEffect(() => setMore(null), [initial]);

  const rows = [...initial.data, ...(more?.data ?? []).filter((r) => !initial.data.some((i) => i.id === r.id))];
  const cursor = more ? more.nextCursor : initial.nextCursor;

  const loadMore = () =>
    startLoading(async () => {
      if (!cursor) return;
      const form = new FormData();
      form.set("type", view.type);
      form.set("cursor", cursor);
      const result = await loadMoreResourcesAction(null, form);
      if (!result.ok) return setLoadError(result.message);
      setLoadError(null);
      setMore((prev) => ({ data: [...(prev?.data ?? []), ...result.data.data], nextCursor: result.data.nextCursor }));
    });

  const changed = (text?: string) => setMessage(text ?? null);

  return (
    <div className="space-y-6">
      <div aria-live="polite">{message && <Alert tone="success">{message}</Alert>}</div>
      {creating && (
        <Card>
          <CardHeader title={`New ${view.label.toLowerCase()}`} />
          <div className="px-5 py-4">
            <ResourceForm
              type={view.type}
              label={view.label}
              fields={view.fields}
              referenceOptions={view.referenceOptions}
              action={createResourceAction}
              onDone={(_saved, text) => {
                setCreating(false);
                changed(text);
              }}
              onCancel={() => setCreating(false)}
            />
          </div>
        </Card>
      )}
      <Card>
        <CardHeader
          title={`All ${view.labelPlural.toLowerCase()}`}
          description={rows.length === 0 ? undefined : `${rows.length}${cursor ? "+" : ""} shown, newest first`}
          actions={
            canWrite ? (
              !creating && (
                <Button
                  size="sm"
                  onClick={() => {
                    setMessage(null);
                    setCreating(true);
                  }}
                >
                  New {view.label.toLowerCase()}
                </Button>
              )
            ) : (
              <p className="max-w-xs text-xs text-zinc-500 dark:text-zinc-400" data-testid="read-only-reason">
                {readOnlyReason}
              </p>
            )
          }
        />
        {rows.length === 0 ? (
          emptyState
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label={view.labelPlural}>
            {rows.map((r) => (
              <ResourceRowView key={r.id} view={view} resource={r} canWrite={canWrite} onChanged={changed} />
            ))}
          </ul>
        )}
        {(cursor || loadError) && (
          <div className="flex flex-wrap items-center gap-3 border-t border-zinc-100 px-5 py-3 dark:border-zinc-800">
            {cursor && (
              <Button variant="secondary" size="sm" onClick={loadMore} disabled={loading} aria-disabled={loading}>
                {loading ? "Loading…" : "Load more"}
              </Button>
            )}
            {loadError && (
              <p role="alert" className="text-xs text-red-600 dark:text-red-400">
                {loadError}
              </p>
            )}
          </div>
        )}
      </Card>
    </div>
  );
}
