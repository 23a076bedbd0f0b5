import { Badge, type BadgeTone } from "@/components/ui/badge";
import { auditEventTitle, auditOutcomeLabel } from "@/lib/audit-labels";
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

const th = "px-4 py-2.5 font-semibold";
const td = "px-4 py-3";
// The first visible column lines up with the card header: Time when shown, Event otherwise.
const lead = "pl-5";
const leadUnlessTime = "pl-5 @xl:pl-4";
const secondary = "text-xs text-zinc-500 dark:text-zinc-400";

/**
 * Audit events that always fit their card: a fixed layout whose columns come
 * and go with the card's width (container queries), so the outcome is never
 * scrolled or clipped out of sight. What a hidden column held moves under the
 * event's name. `compact` (the overview) leaves out the resource and IP.
 */
export function AuditTable({ events, compact = false }: { events: AuditRow[]; compact?: boolean }) {
  return (
    <div className="@container">
      <table className="w-full table-fixed text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th scope="col" className={`${th} ${lead} hidden w-36 @xl:table-cell`}>Time</th>
            <th scope="col" className={`${th} ${leadUnlessTime}`}>Event</th>
            <th scope="col" className={`${th} w-28`}>Outcome</th>
            <th scope="col" className={`${th} hidden w-[26%] @lg:table-cell`}>Actor</th>
            {!compact && <th scope="col" className={`${th} hidden w-[22%] @4xl:table-cell`}>Resource</th>}
            {!compact && <th scope="col" className={`${th} hidden w-36 @5xl:table-cell`}>IP</th>}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {events.map((e) => {
            const when = <time dateTime={e.occurredAt.toISOString()}>{formatDateTime(e.occurredAt)}</time>;
            const actor = e.actorLabel ?? e.actorType;
            return (
              <tr key={e.id} className="align-top" data-testid="audit-event" data-action={e.action} data-outcome={e.outcome}>
                <td className={`${td} ${lead} hidden text-zinc-600 tabular-nums @xl:table-cell dark:text-zinc-400`}>{when}</td>
                <td className={`${td} ${leadUnlessTime}`}>
                  <p className="font-medium break-words">{auditEventTitle(e.action, e.outcome)}</p>
                  <p className="font-mono text-xs break-all text-zinc-500 dark:text-zinc-400">{e.action}</p>
                  <p className={`${secondary} mt-1 break-words @xl:hidden`}>{when}</p>
                  <p className={`${secondary} break-words @lg:hidden`}>
                    by {actor}
                    {!compact && e.ip && (
                      <>
                        {" "}
                        from <span className="font-mono whitespace-nowrap">{e.ip}</span>
                      </>
                    )}
                  </p>
                  {!compact && e.resourceLabel && (
                    <p className={`${secondary} break-words @4xl:hidden`}>
                      on {e.resourceLabel}
                      {e.resourceType && ` (${e.resourceType})`}
                    </p>
                  )}
                </td>
                <td className={td} data-testid="audit-outcome">
                  <Badge tone={OUTCOME_TONE[e.outcome] ?? "neutral"}>{auditOutcomeLabel(e.outcome)}</Badge>
                </td>
                <td className={`${td} hidden @lg:table-cell`}>
                  <span className="block break-words">{actor}</span>
                  <span className={`${secondary} block break-words`}>
                    {e.actorType}
                    {/* Below the IP column's width the address stays with the actor. */}
                    {e.ip && <span className={compact ? undefined : "@5xl:hidden"}> · <span className="font-mono">{e.ip}</span></span>}
                  </span>
                </td>
                {!compact && (
                  <td className={`${td} hidden @4xl:table-cell`}>
                    <span className="block break-words">{e.resourceLabel ?? "—"}</span>
                    {e.resourceType && <span className={`${secondary} block break-words`}>{e.resourceType}</span>}
                  </td>
                )}
                {!compact && <td className={`${td} hidden font-mono text-xs break-all text-zinc-600 @5xl:table-cell dark:text-zinc-400`}>{e.ip ?? "—"}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
