import Link from "next/link";
import { inputClasses } from "@/components/ui/field";
import { buttonClasses } from "@/components/ui/button";
import { auditActionGroups } from "@/lib/audit-filters";
import { RESOURCE_TYPES } from "@/lib/resources/registry";
import type { AuditFilter } from "@/lib/validations/audit";

export interface ActorOption {
  id: string;
  type: "user" | "api_key" | "agent";
  label: string;
}

const label = "block text-sm font-medium text-zinc-800 dark:text-zinc-200";
const GROUP_LABEL = { user: "Members", api_key: "API keys", agent: "Agents" } as const;

/** For a datetime-local input: the instant in UTC without seconds or zone (the console shows UTC). */
function localValue(date: Date | undefined): string | undefined {
  return date ? date.toISOString().slice(0, 16) : undefined;
}

function Select({ name, title, value, children }: { name: string; title: string; value?: string; children: React.ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={`audit-${name}`} className={label}>
        {title}
      </label>
      <select id={`audit-${name}`} name={name} defaultValue={value ?? ""} className={inputClasses}>
        {children}
      </select>
    </div>
  );
}

function Input({ name, title, value, type = "text", placeholder }: { name: string; title: string; value?: string; type?: string; placeholder?: string }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={`audit-${name}`} className={label}>
        {title}
      </label>
      <input id={`audit-${name}`} name={name} type={type} defaultValue={value ?? ""} placeholder={placeholder} className={inputClasses} />
    </div>
  );
}

/**
 * The filters of the audit log as a plain GET form: applying it puts every
 * filter in the URL, so a view can be shared and bookmarked, and the page
 * works before any script has loaded.
 */
export function AuditFilters({ filter, actors, at }: { filter: AuditFilter; actors: ActorOption[]; at?: Date }) {
  const groups = auditActionGroups();
  const knownActor = !filter.actor || actors.some((a) => a.id === filter.actor);
  const knownAction = !filter.action || groups.some((g) => g.actions.some((a) => a.code === filter.action));
  return (
    <form method="get" action="/audit" className="space-y-4 px-5 py-4" role="search" aria-label="Filter audit events">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Select name="actor_type" title="Actor type" value={filter.actor_type}>
          <option value="">Any actor type</option>
          <option value="user">User</option>
          <option value="api_key">API key</option>
          <option value="agent">Agent</option>
          <option value="system">System</option>
        </Select>
        <Select name="actor" title="Actor" value={filter.actor}>
          <option value="">Anyone</option>
          {!knownActor && <option value={filter.actor}>{filter.actor} (no longer in the organization)</option>}
          {(["user", "api_key", "agent"] as const).map((type) => {
            const list = actors.filter((a) => a.type === type);
            return list.length ? (
              <optgroup key={type} label={GROUP_LABEL[type]}>
                {list.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.label}
                  </option>
                ))}
              </optgroup>
            ) : null;
          })}
        </Select>
        <Select name="action" title="Action" value={filter.action}>
          <option value="">Any action</option>
          {!knownAction && <option value={filter.action}>{filter.action}</option>}
          {groups.map((g) => (
            <optgroup key={g.resource} label={g.label}>
              {g.actions.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.label}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
        <Select name="outcome" title="Outcome" value={filter.outcome}>
          <option value="">Any outcome</option>
          <option value="success">Succeeded</option>
          <option value="denied">Denied</option>
          <option value="failure">Failed</option>
        </Select>
        <div className="space-y-1.5">
          <label htmlFor="audit-resource_type" className={label}>
            Resource type
          </label>
          <input id="audit-resource_type" name="resource_type" list="audit-resource-types" defaultValue={filter.resource_type ?? ""} placeholder="e.g. membership" className={inputClasses} />
          <datalist id="audit-resource-types">
            {["organization", "membership", "invitation", "user", "session", "api_key", "security_key", ...RESOURCE_TYPES.map((r) => r.type)].map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </div>
        <Input name="resource_id" title="Resource ID" value={filter.resource_id} placeholder="exact id" />
        <Select name="range" title="Time range" value={filter.range ?? (filter.from || filter.to ? "custom" : "")}>
          <option value="">Any time</option>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
          <option value="90d">Last 90 days</option>
          <option value="custom">Custom (from / to below)</option>
        </Select>
        <Input name="q" title="Search" value={filter.q} placeholder="names, ids, metadata…" />
        <Input name="from" title="From (UTC, custom range)" type="datetime-local" value={localValue(filter.from)} />
        <Input name="to" title="To (UTC, custom range)" type="datetime-local" value={localValue(filter.to)} />
        <Input name="at" title="Jump to date (UTC)" type="datetime-local" value={localValue(at)} />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClasses("primary", "md")} data-testid="audit-apply">
          Apply filters
        </button>
        <Link href="/audit" className={buttonClasses("ghost", "md")}>
          Clear
        </Link>
      </div>
    </form>
  );
}
