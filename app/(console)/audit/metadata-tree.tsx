import type { AuditMetadataValue } from "@/lib/server/audit/get-audit-event";

/** Metadata as a readable tree: nested objects and lists indent, scalars show their type by style. */
export function MetadataTree({ value }: { value: { [key: string]: AuditMetadataValue } | AuditMetadataValue[] }) {
  const entries: [string, AuditMetadataValue][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  if (entries.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">{Array.isArray(value) ? "Empty list" : "No metadata"}</p>;
  return (
    <dl className="space-y-1.5 text-sm">
      {entries.map(([key, v]) => (
        <div key={key} className="grid grid-cols-1 gap-x-4 sm:grid-cols-[minmax(8rem,14rem)_1fr]">
          <dt className="font-mono text-xs break-all text-zinc-500 sm:pt-0.5 dark:text-zinc-400">{key}</dt>
          <dd className="min-w-0">
            {v !== null && typeof v === "object" ? (
              <div className="border-l-2 border-zinc-200 pl-3 dark:border-zinc-700">
                <MetadataTree value={v} />
              </div>
            ) : (
              <Scalar value={v} />
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Scalar({ value }: { value: string | number | boolean | null }) {
  if (value === null) return <span className="font-mono text-xs text-zinc-400">null</span>;
  if (typeof value === "string") return <span className="break-words whitespace-pre-wrap">{value}</span>;
  return <span className="font-mono text-xs text-brand-700 dark:text-brand-300">{String(value)}</span>;
}
