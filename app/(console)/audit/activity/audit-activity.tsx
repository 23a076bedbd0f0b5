import { getDb } from "@/lib/server/db/client";
import { countAuditActivity } from "@/lib/server/audit/count-audit-activity";
import type { AuditFilter } from "@/lib/validations/audit";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { LazyActivityChart } from "./activity-chart-lazy";
import { bucketLabel, OUTCOME_SERIES } from "./activity-format";

const fmt = (n: number) => n.toLocaleString("en-US");

/** The Activity card: events per hour or day for the current filter, counted by the database. */
export async function AuditActivity({ orgId, filter }: { orgId: string; filter: AuditFilter }) {
  const activity = await countAuditActivity(getDb(), orgId, filter);
  const per = activity?.unit === "day" ? "day" : "hour";
  const sums = activity
    ? OUTCOME_SERIES.map((s) => ({ ...s, n: activity.buckets.reduce((acc, b) => acc + b[s.key], 0) }))
    : [];
  const rows = activity?.buckets.filter((b) => b.success + b.denied + b.failure > 0) ?? [];
  return (
    <Card>
      <CardHeader
        title="Activity"
        description={
          activity
            ? `Events per ${per} for these filters, ${bucketLabel(activity.from.toISOString(), activity.unit)} to ${bucketLabel(activity.to.toISOString(), "hour")}${activity.clipped ? " (the most recent part of a longer range; choose a time range to chart another)" : ""}.`
            : "Events per hour or day for these filters."
        }
      />
      {!activity || activity.total === 0 ? (
        <EmptyState title="No activity in this range" description="Nothing matches these filters, so there is nothing to chart." />
      ) : (
        <div className="space-y-3 px-5 py-4" data-testid="audit-activity">
          <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-zinc-600 dark:text-zinc-300">
            <span>
              <span className="font-semibold tabular-nums text-zinc-900 dark:text-zinc-100" data-testid="audit-activity-total">{fmt(activity.total)}</span> events
            </span>
            {sums.map((s) => (
              <span key={s.key} className="inline-flex items-center gap-1.5">
                <span className={`inline-block size-2.5 rounded-sm ${s.swatch}`} aria-hidden />
                {s.label} <span className="tabular-nums" data-testid={`audit-activity-${s.key}`}>{fmt(s.n)}</span>
              </span>
            ))}
          </p>
          <LazyActivityChart buckets={activity.buckets} unit={activity.unit} />
          <details className="text-sm">
            <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">Show as a table ({rows.length} {per === "day" ? "days" : "hours"} with events)</summary>
            <div className="mt-2 max-h-72 overflow-auto rounded-lg ring-1 ring-zinc-200 dark:ring-zinc-800">
              <table className="w-full min-w-[28rem] text-left text-sm" data-testid="audit-activity-table">
                <caption className="sr-only">Events per {per} by outcome</caption>
                <thead className="sticky top-0 bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">{per === "day" ? "Day (UTC)" : "Hour (UTC)"}</th>
                    {OUTCOME_SERIES.map((s) => (
                      <th key={s.key} scope="col" className="px-3 py-2 text-right font-medium">{s.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                  {rows.map((b) => (
                    <tr key={b.start}>
                      <th scope="row" className="whitespace-nowrap px-3 py-1.5 font-normal">{bucketLabel(b.start, activity.unit)}</th>
                      {OUTCOME_SERIES.map((s) => (
                        <td key={s.key} className="px-3 py-1.5 text-right tabular-nums">{fmt(b[s.key])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </div>
      )}
    </Card>
  );
}
