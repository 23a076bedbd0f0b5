"use client";
import Link from "next/link";
import { useState, useTransition } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { auditEventTitle, auditOutcomeLabel } from "@/lib/audit-labels";
import { loadMoreAuditEventsAction } from "./actions";
import type { AuditRowView } from "./row-view";

const OUTCOME_TONE: Record<string, BadgeTone> = { success: "success", denied: "warning", failure: "danger" };
const ACTOR_TYPE_LABEL: Record<string, string> = { user: "User", system: "System", api_key: "API key", agent: "Agent" };
const th = "px-3 py-2.5 font-semibold whitespace-nowrap";
const td = "px-3 py-3 align-top";
const secondary = "text-xs text-zinc-500 dark:text-zinc-400";

/**
 * The events of the current view in a wide table that scrolls sideways on a
 * narrow screen (nothing clipped; the outcome comes first so a failure is in
 * sight without scrolling), and "Load more" that appends the next
 * keyset page. `filterQuery` is the view's filters, sent back with the cursor.
 */
export function AuditEventList({ initial, nextCursor: firstCursor, filterQuery }: { initial: AuditRowView[]; nextCursor: string | null; filterQuery: string }) {
  const [events, setEvents] = useState(initial);
  const [cursor, setCursor] = useState(firstCursor);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function loadMore() {
    if (!cursor) return;
    const form = new FormData();
    for (const [k, v] of new URLSearchParams(filterQuery)) form.set(k, v);
    form.set("cursor", cursor);
    startTransition(async () => {
      const result = await loadMoreAuditEventsAction(null, form);
      if (!result.ok) return setError(result.message);
      setError(null);
      setEvents((prev) => [...prev, ...result.data.events]);
      setCursor(result.data.nextCursor);
    });
  }

  return (
    <>
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Audit events">
        <table className="w-full min-w-[50rem] text-left text-sm">
          <caption className="sr-only">Audit events, newest first</caption>
          <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
            <tr>
              <th scope="col" className={`${th} pl-5`}>Outcome</th>
              <th scope="col" className={th}>Event</th>
              <th scope="col" className={th}>Time (UTC)</th>
              <th scope="col" className={th}>Actor</th>
              <th scope="col" className={th}>Resource</th>
              <th scope="col" className={`${th} pr-5`}>IP</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {events.map((e) => (
              <tr key={e.id} data-testid="audit-event" data-action={e.action} data-outcome={e.outcome} data-actor-type={e.actorType} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
                <td className={`${td} pl-5`} data-testid="audit-outcome">
                  <Badge tone={OUTCOME_TONE[e.outcome] ?? "neutral"}>{auditOutcomeLabel(e.outcome)}</Badge>
                </td>
                <td className={`${td} min-w-48`}>
                  <Link href={`/audit/${e.id}`} className="font-medium text-brand-700 hover:underline dark:text-brand-300" data-testid="audit-event-link">
                    {auditEventTitle(e.action, e.outcome)}
                  </Link>
                  <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{e.action}</p>
                </td>
                <td className={`${td} whitespace-nowrap text-zinc-600 tabular-nums dark:text-zinc-400`}>
                  <time dateTime={e.occurredAt}>
                    {e.occurredAt.slice(0, 10)}
                    <span className="block">{e.occurredAt.slice(11, 19)}</span>
                  </time>
                </td>
                <td className={`${td} max-w-52`}>
                  <span className="block break-words">{e.actorLabel ?? ACTOR_TYPE_LABEL[e.actorType] ?? e.actorType}</span>
                  <span className={secondary}>{ACTOR_TYPE_LABEL[e.actorType] ?? e.actorType}</span>
                </td>
                <td className={`${td} max-w-52`}>
                  {e.resourceType ? (
                    <>
                      <span className="block break-words">{e.resourceLabel ?? e.resourceId ?? "—"}</span>
                      <span className={secondary}>{e.resourceType}</span>
                    </>
                  ) : (
                    <span className={secondary}>—</span>
                  )}
                </td>
                <td className={`${td} pr-5 font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>{e.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center gap-3 border-t border-zinc-200 px-5 py-3 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <span data-testid="audit-loaded-count">
          {events.length} event{events.length === 1 ? "" : "s"} shown{cursor ? "" : " (end of the log for these filters)"}
        </span>
        {cursor && (
          <Button variant="secondary" size="sm" onClick={loadMore} disabled={pending} data-testid="audit-load-more">
            {pending ? "Loading…" : "Load more"}
          </Button>
        )}
      </div>
      {error && (
        <div className="px-5 pb-4" aria-live="polite">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
    </>
  );
}
