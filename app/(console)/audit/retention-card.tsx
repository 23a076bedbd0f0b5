"use client";
import { useState, useTransition } from "react";
import { ClientForm } from "@/components/ui/client-form";
import { Card, CardHeader } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { ActionMessage } from "@/components/security/action-message";
import { useSudoAction } from "@/components/security/use-sudo-action";
import type { ActionResult } from "@/lib/action-result";
import { setAuditRetentionAction } from "./actions";

/** Owners choose how long events are kept (default forever); others read it. */
export function RetentionCard({ retentionDays, editable, lastArchive }: { retentionDays: number | null; editable: boolean; lastArchive: { cutSeq: number; createdAt: string; eventCount: number } | null }) {
  const [, , , dialog, call, asking] = useSudoAction(setAuditRetentionAction);
  const [isPending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const pending = isPending && !asking;
  const current = retentionDays === null ? "Events are kept forever." : `Events older than ${retentionDays} days are archived to a JSON Lines file and removed, once a day.`;
  const archived = lastArchive ? ` Last archive: events up to #${lastArchive.cutSeq} (${lastArchive.eventCount.toLocaleString("en-US")} in that run), ${lastArchive.createdAt.slice(0, 16).replace("T", " ")} UTC.` : "";
  return (
    <Card>
      <CardHeader
        title="Retention"
        description={
          editable
            ? "Old events are written to an archive file with the chain's head at the cut, which verifies on its own (gatehouse audit verify-archive); the chain in the database then verifies from that head. Only owners change this, in sudo mode."
            : "Set by the organization's owners."
        }
      />
      {editable ? (
        <ClientForm className="space-y-4 px-5 py-4" noValidate onData={(formData) => startTransition(async () => setResult(await call(formData)))}>
          <Field
            name="retentionDays"
            label="Keep events for (days)"
            inputMode="numeric"
            defaultValue={retentionDays === null ? "" : String(retentionDays)}
            placeholder="Forever"
            hint={`30 to 3650 days; empty keeps every event forever. ${current}${archived}`}
            errors={result && !result.ok ? result.fieldErrors?.retentionDays : undefined}
            className="max-w-sm"
          />
          <div aria-live="polite">
            <ActionMessage state={result} />
          </div>
          <Button type="submit" variant="secondary" size="sm" disabled={pending}>
            {pending ? "Saving…" : "Save retention"}
          </Button>
        </ClientForm>
      ) : (
        <p className="px-5 py-4 text-sm text-zinc-700 dark:text-zinc-300" data-testid="audit-retention">
          {current}
          {archived}
        </p>
      )}
      {dialog}
    </Card>
  );
}
