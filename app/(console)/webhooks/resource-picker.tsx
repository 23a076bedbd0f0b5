"use client";
import { useId, useState } from "react";
import { inputClasses } from "@/components/ui/field";

export interface ResourceChoiceOption {
  id: string;
  type: string;
  name: string;
}

/**
 * Pick the resources an endpoint is filtered to: the resources of the chosen
 * families (every resource family when none is chosen), grouped by family,
 * narrowed by a name filter. Native checkboxes: Tab and Space work as usual.
 */
export function ResourcePicker({
  choices,
  families,
  familyLabels,
  selected,
  onChange,
}: {
  choices: ResourceChoiceOption[];
  families: string[];
  familyLabels: Record<string, string>;
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState("");
  const resourceTypes = [...new Set(choices.map((c) => c.type))];
  const shownTypes = families.length === 0 ? resourceTypes : resourceTypes.filter((t) => families.includes(t));
  const q = query.trim().toLowerCase();
  const groups = shownTypes
    .map((type) => ({ type, items: choices.filter((c) => c.type === type && (q === "" || c.name.toLowerCase().includes(q) || selected.includes(c.id))) }))
    .filter((g) => g.items.length > 0);
  const names = new Map(choices.map((c) => [c.id, c.name]));

  return (
    <fieldset className="space-y-2" aria-describedby={`${id}-hint`}>
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Only these resources (optional)</legend>
      <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
        Choose none to receive events about every resource. With a selection, only events about the chosen resources are sent.
        {selected.length > 0 && ` ${selected.length} selected: ${selected.map((s) => names.get(s) ?? s).join(", ")}.`}
      </p>
      {shownTypes.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">The chosen event families have no resources to pick.</p>
      ) : (
        <>
          <label htmlFor={`${id}-filter`} className="sr-only">
            Filter resources by name
          </label>
          <input id={`${id}-filter`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Filter resources by name" className={`${inputClasses} max-w-xs`} />
          <div className="max-h-64 space-y-3 overflow-y-auto rounded-md p-2 ring-1 ring-zinc-200 ring-inset dark:ring-zinc-800" data-testid="resource-picker">
            {groups.length === 0 && <p className="text-sm text-zinc-500 dark:text-zinc-400">{q ? "No resource matches." : "No resources of these families yet."}</p>}
            {groups.map((g) => (
              <div key={g.type} role="group" aria-label={`${familyLabels[g.type] ?? g.type} resources`}>
                <p className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{familyLabels[g.type] ?? g.type}</p>
                <div className="grid grid-cols-1 gap-1 sm:grid-cols-2 lg:grid-cols-3">
                  {g.items.map((c) => (
                    <label key={c.id} className="flex min-w-0 items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
                      <input
                        type="checkbox"
                        className="size-4 shrink-0 rounded border-zinc-300 dark:border-zinc-600"
                        checked={selected.includes(c.id)}
                        onChange={(e) => onChange(e.target.checked ? [...selected, c.id] : selected.filter((x) => x !== c.id))}
                      />
                      <span className="truncate">{c.name}</span>
                    </label>
                  ))}
                </div>
              </div>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
