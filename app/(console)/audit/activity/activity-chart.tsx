"use client";
import { OUTCOME_SERIES, bucketLabel } from "./activity-format";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ActivityPoint {
  start: string;
  success: number;
  denied: number;
  failure: number;
}

function ChartTooltip({ active, payload, label, unit }: { active?: boolean; payload?: ReadonlyArray<{ dataKey?: unknown; value?: unknown }>; label?: unknown; unit: "hour" | "day" }) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-lg bg-white px-3 py-2 text-xs shadow-md ring-1 ring-zinc-200 dark:bg-zinc-800 dark:ring-zinc-700">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{bucketLabel(String(label), unit)}</p>
      {OUTCOME_SERIES.map((s) => {
        const item = payload.find((p) => p.dataKey === s.key);
        return (
          <p key={s.key} className="mt-0.5 flex items-center gap-2 text-zinc-600 dark:text-zinc-300">
            <span className={`inline-block size-2 rounded-sm ${s.swatch}`} aria-hidden />
            {s.label}: <span className="tabular-nums">{Number(item?.value ?? 0).toLocaleString("en-US")}</span>
          </p>
        );
      })}
    </div>
  );
}

/** The stacked bars (decorative for screen readers: the table next to it carries the same numbers). */
export default function ActivityChart({ buckets, unit }: { buckets: ActivityPoint[]; unit: "hour" | "day" }) {
  return (
    <div className="h-56 w-full text-zinc-500 dark:text-zinc-400" aria-hidden data-testid="audit-activity-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={buckets} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barCategoryGap={1}>
          <CartesianGrid vertical={false} stroke="currentColor" strokeOpacity={0.15} />
          <XAxis dataKey="start" tickFormatter={(v: string) => bucketLabel(v, unit, true)} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} minTickGap={24} />
          <YAxis allowDecimals={false} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} width={48} />
          <Tooltip cursor={{ fill: "currentColor", fillOpacity: 0.08 }} content={({ active, payload, label }) => <ChartTooltip active={active} payload={payload} label={label} unit={unit} />} />
          {OUTCOME_SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} stackId="outcome" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
