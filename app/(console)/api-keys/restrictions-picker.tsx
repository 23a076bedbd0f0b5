"use client";
import type { ResourceGroup } from "./key-view";

export type RestrictionChoice = Record<string, string[]>;

/**
 * Optional per-resource restrictions: for each resource type, the chosen
 * resources are the only ones of that type the key may act on; types left
 * alone stay unrestricted.
 */
export function RestrictionsPicker({
  groups,
  value,
  onChange,
  idPrefix,
  errors,
}: {
  groups: ResourceGroup[];
  value: RestrictionChoice;
  onChange: (next: RestrictionChoice) => void;
  idPrefix: string;
  errors?: string[];
}) {
  const withItems = groups.filter((g) => g.items.length > 0);
  const chosen = Object.values(value).reduce((n, ids) => n + ids.length, 0);
  const errorId = errors?.length ? `${idPrefix}-restrictions-error` : undefined;
  const toggle = (type: string, id: string, on: boolean) => {
    const current = value[type] ?? [];
    const next = on ? [...current, id] : current.filter((x) => x !== id);
    const out = { ...value, [type]: next };
    if (next.length === 0) delete out[type];
    onChange(out);
  };

  return (
    <details className="group rounded-lg ring-1 ring-zinc-200 dark:ring-zinc-800" open={chosen > 0 || Boolean(errors?.length)}>
      <summary className="flex cursor-pointer items-center justify-between gap-2 px-3 py-2.5 text-sm font-medium select-none">
        <span>Restrict to chosen resources (optional)</span>
        <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">{chosen === 0 ? "All resources" : `${chosen} chosen`}</span>
      </summary>
      <div className="space-y-3 border-t border-zinc-200 px-3 py-3 dark:border-zinc-800" aria-describedby={errorId}>
        {withItems.length === 0 ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            This organization has no platform resources yet. Once it has props, marquees, playgrounds and the like, you can limit a key to chosen ones.
          </p>
        ) : (
          <>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">For a type where you choose resources, the key may act only on those; other types stay unrestricted.</p>
            <div className="grid gap-3 sm:grid-cols-2">
              {withItems.map((g) => (
                <fieldset key={g.type} className="min-w-0">
                  <legend className="text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{g.labelPlural}</legend>
                  <ul className="mt-1 max-h-40 space-y-1 overflow-y-auto">
                    {g.items.map((item) => (
                      <li key={item.id}>
                        <label className="flex items-center gap-2 text-sm">
                          <input
                            type="checkbox"
                            className="size-4 accent-brand-600"
                            checked={(value[g.type] ?? []).includes(item.id)}
                            onChange={(e) => toggle(g.type, item.id, e.target.checked)}
                            aria-label={`${g.label}: ${item.name}`}
                          />
                          <span className="truncate">{item.name}</span>
                        </label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
              ))}
            </div>
          </>
        )}
        {errorId && (
          <p id={errorId} className="text-xs font-medium text-red-600 dark:text-red-400">
            {errors?.join(" ")}
          </p>
        )}
      </div>
    </details>
  );
}
