"use client";
import { SCOPE_FAMILIES, SCOPE_PRESETS, WILDCARD, type ScopeVerb } from "@/lib/api-keys/scopes";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

const VERBS: ScopeVerb[] = ["read", "write", "delete", "manage"];

/**
 * The scope catalogue grouped by family, with read / write / delete / manage
 * per family. Only the scopes the member's role can hold are offered; the
 * full-access wildcard is a separate, never preselected choice with a warning.
 */
export function ScopePicker({
  allowed,
  roleLabel,
  selected,
  onChange,
  errorId,
  invalid,
}: {
  allowed: string[];
  roleLabel: string;
  selected: string[];
  onChange: (next: string[]) => void;
  errorId?: string;
  invalid: boolean;
}) {
  const wildcardOffered = allowed.includes(WILDCARD);
  const wildcard = selected.includes(WILDCARD);
  const families = SCOPE_FAMILIES.filter((f) => f.verbs.some((v) => allowed.includes(`${f.family}:${v}`)));
  const hidden = SCOPE_FAMILIES.some((f) => f.verbs.some((v) => !allowed.includes(`${f.family}:${v}`)));
  const fit = (scopes: readonly string[]) => scopes.filter((s) => allowed.includes(s));
  const toggle = (scope: string, on: boolean) => onChange(on ? [...selected, scope] : selected.filter((s) => s !== scope));
  const presets: { label: string; scopes: string[] }[] = [
    { label: "Read-only", scopes: fit(SCOPE_PRESETS["read-only"]) },
    { label: "Platform", scopes: fit(SCOPE_PRESETS.platform) },
    { label: "Everything listed", scopes: allowed.filter((s) => s !== WILDCARD) },
  ];

  return (
    <fieldset className="space-y-3" aria-describedby={[`scopes-hint`, errorId].filter(Boolean).join(" ")} aria-invalid={invalid || undefined}>
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Scopes</legend>
      <p id="scopes-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
        Write and delete include read; manage includes every verb of its family. {hidden && `Scopes your role (${roleLabel}) cannot hold are not offered.`}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Presets:</span>
        {presets.map((p) => (
          <Button key={p.label} variant="secondary" size="sm" disabled={wildcard} onClick={() => onChange(p.scopes)}>
            {p.label}
          </Button>
        ))}
        <Button variant="ghost" size="sm" onClick={() => onChange([])}>
          Clear
        </Button>
        <span className="ml-auto text-xs text-zinc-500 tabular-nums dark:text-zinc-400" aria-live="polite">
          {wildcard ? "Full access" : `${selected.length} selected`}
        </span>
      </div>

      <div className={`overflow-hidden rounded-lg ring-1 ring-zinc-200 dark:ring-zinc-800 ${invalid ? "ring-red-500 dark:ring-red-500" : ""} ${wildcard ? "opacity-50" : ""}`}>
        <table className="w-full text-left text-sm">
          <thead className="bg-zinc-50 text-xs text-zinc-500 uppercase dark:bg-zinc-950 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-3 py-2 font-semibold">
                Family
              </th>
              {VERBS.map((v) => (
                <th key={v} scope="col" className="w-12 px-1 py-2 text-center font-semibold sm:w-20">
                  <span className="hidden sm:inline">{v}</span>
                  <span className="sm:hidden" aria-hidden>
                    {v[0].toUpperCase()}
                  </span>
                  <span className="sr-only sm:hidden">{v}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {families.map((f) => (
              <tr key={f.family}>
                <th scope="row" className="px-3 py-2 font-normal">
                  <span className="block font-medium">{f.label}</span>
                  <span className="hidden text-xs text-zinc-500 sm:block dark:text-zinc-400">{f.description}</span>
                </th>
                {VERBS.map((v) => {
                  const scope = `${f.family}:${v}`;
                  const offered = f.verbs.includes(v) && allowed.includes(scope);
                  return (
                    <td key={v} className="px-1 py-2 text-center">
                      {offered ? (
                        <input
                          type="checkbox"
                          aria-label={`${f.label}: ${v}`}
                          title={scope}
                          checked={wildcard || selected.includes(scope)}
                          disabled={wildcard}
                          onChange={(e) => toggle(scope, e.target.checked)}
                          className="size-4 accent-brand-600"
                        />
                      ) : (
                        <span aria-hidden className="text-zinc-300 dark:text-zinc-700">
                          —
                        </span>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {wildcardOffered && (
        <div className="space-y-2 rounded-lg bg-zinc-50 px-3 py-3 ring-1 ring-zinc-200 ring-inset dark:bg-zinc-950 dark:ring-zinc-800">
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              checked={wildcard}
              onChange={(e) => onChange(e.target.checked ? [WILDCARD] : [])}
              className="mt-0.5 size-4 accent-red-600"
              aria-describedby="wildcard-hint"
            />
            <span>
              <span className="font-medium">Full access (*)</span>
              <span id="wildcard-hint" className="block text-xs text-zinc-500 dark:text-zinc-400">
                Every scope, including keys, secrets and webhooks, and any scope added later. Owners and admins only.
              </span>
            </span>
          </label>
          {wildcard && (
            <Alert tone="warning" title="A full-access key can do everything your role can">
              Anyone holding it can manage keys, secrets and webhooks of the organization. Prefer the narrowest scopes that do the job.
            </Alert>
          )}
        </div>
      )}
    </fieldset>
  );
}
