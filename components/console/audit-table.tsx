import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/format";

export interface AuditRow {
  id: string;
  occurredAt: Date;
  actorType: string;
  actorLabel: string | null;
  action: string;
  resourceType: string | null;
  resourceLabel: string | null;
  outcome: string;
  ip: string | null;
}

const OUTCOME_TONE: Record<string, BadgeTone> = { success: "success", denied: "warning", failure: "danger" };

export function AuditTable({ events, compact = false }: { events: AuditRow[]; compact?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-5 py-2.5 font-semibold">Time</th>
            <th scope="col" className="px-5 py-2.5 font-semibold">Action</th>
            <th scope="col" className="px-5 py-2.5 font-semibold">Actor</th>
            {!compact && <th scope="col" className="px-5 py-2.5 font-semibold">Resource</th>}
            <th scope="col" className="px-5 py-2.5 font-semibold">Outcome</th>
            {!compact && <th scope="col" className="px-5 py-2.5 font-semibold">IP</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {events.map((e) => (
            <tr key={e.id} className="align-top">
              <td className="px-5 py-2.5 whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400">{formatDateTime(e.occurredAt)}</td>
              <td className="px-5 py-2.5 font-mono text-xs whitespace-nowrap">{e.action}</td>
              <td className="px-5 py-2.5">
                <span className="block max-w-56 truncate">{e.actorLabel ?? "—"}</span>
                <span className="text-xs text-zinc-500">{e.actorType}</span>
              </td>
              {!compact && (
                <td className="px-5 py-2.5">
                  <span className="block max-w-56 truncate">{e.resourceLabel ?? "—"}</span>
                  {e.resourceType && <span className="text-xs text-zinc-500">{e.resourceType}</span>}
                </td>
              )}
              <td className="px-5 py-2.5">
                <Badge tone={OUTCOME_TONE[e.outcome] ?? "neutral"}>{e.outcome}</Badge>
              </td>
              {!compact && <td className="px-5 py-2.5 font-mono text-xs text-zinc-600 dark:text-zinc-400">{e.ip ?? "—"}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
